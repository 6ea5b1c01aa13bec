"""Writes the OFX bank files the CLI's import tests read, with ofxtools (PyPI), the way a bank's
software would: OFX 1.0.2 (SGML) and OFX 2.2.0 (XML).

Usage: python make_ofx.py OUTDIR. Writes checking-v1.ofx (a EUR current account), card-v2.qfx (a
JPY credit card with one KWD transaction and one of zero), overlap-v1.ofx (the current account
again, a later download: one transaction seen before and one new).
"""

import sys
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
import xml.etree.ElementTree as ET

from ofxtools.Parser import OFXTree
from ofxtools.header import make_header
from ofxtools.models import (
    BANKACCTFROM, BANKMSGSRSV1, BANKTRANLIST, CCACCTFROM, CCSTMTRS, CCSTMTTRNRS, CREDITCARDMSGSRSV1,
    CURRENCY, LEDGERBAL, OFX, SIGNONMSGSRSV1, SONRS, STATUS, STMTRS, STMTTRN, STMTTRNRS,
)


def when(day, hour=12):
    return datetime(2026, 11, day, hour, 0, tzinfo=timezone.utc)


def signon():
    return SIGNONMSGSRSV1(sonrs=SONRS(status=STATUS(code=0, severity="INFO"), dtserver=when(26), language="ENG"))


def bank_file(transactions):
    statement = STMTRS(
        curdef="EUR",
        bankacctfrom=BANKACCTFROM(bankid="10020030", acctid="DE0012345678", accttype="CHECKING"),
        banktranlist=BANKTRANLIST(*transactions, dtstart=when(1), dtend=when(26)),
        ledgerbal=LEDGERBAL(balamt=Decimal("1000.00"), dtasof=when(26)),
    )
    return OFX(
        signonmsgsrsv1=signon(),
        bankmsgsrsv1=BANKMSGSRSV1(STMTTRNRS(trnuid="1", status=STATUS(code=0, severity="INFO"), stmtrs=statement)),
    )


def card_file(transactions):
    statement = CCSTMTRS(
        curdef="JPY",
        ccacctfrom=CCACCTFROM(acctid="4111111111111111"),
        banktranlist=BANKTRANLIST(*transactions, dtstart=when(1), dtend=when(26)),
        ledgerbal=LEDGERBAL(balamt=Decimal("-5000"), dtasof=when(26)),
    )
    return OFX(
        signonmsgsrsv1=signon(),
        creditcardmsgsrsv1=CREDITCARDMSGSRSV1(
            CCSTMTTRNRS(trnuid="2", status=STATUS(code=0, severity="INFO"), ccstmtrs=statement)
        ),
    )


def transaction(fitid, day, amount, name, memo=None, kind=None, currency=None):
    return STMTTRN(
        trntype=kind or ("DEBIT" if Decimal(amount) < 0 else "CREDIT"),
        dtposted=when(day),
        trnamt=Decimal(amount),
        fitid=fitid,
        name=name,
        memo=memo,
        currency=currency,
    )


def write(path, ofx, version):
    """The file as ofxtools writes it (its header, its element tree); for OFX 1.x with the end
    tags of values left out, as banks send it (OFX 1.0.2 allows either). ofxtools' own parser
    then reads the file back, so every file is OFX by ofxtools' judgement."""
    root = ofx.to_etree()
    text = sgml(root) if version < 200 else ET.tostring(root).decode()
    header = str(make_header(version=version, newfileuid="NONE"))
    path.write_text(header + text, encoding="utf-8")
    parser = OFXTree()
    parser.parse(str(path))
    parser.convert()


def sgml(element):
    """OFX 1.x markup: aggregates closed, values (elements with text) left open."""
    if len(element) == 0:
        return f"<{element.tag}>{escape(element.text or '')}\r\n"
    inner = "".join(sgml(child) for child in element)
    return f"<{element.tag}>\r\n{inner}</{element.tag}>\r\n"


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    checking = [
        transaction("20261102-0001", 2, "-12.50", "LIDL BERLIN", "weekly shop"),
        transaction("20261103-0002", 3, "-23.90", "Müller & Söhne", "lunch <team>"),
        transaction("20261104-0003", 4, "3.00", "LIDL BERLIN", "refund: bottle deposit"),
        transaction("20261105-0004", 5, "-1100.00", "Landlord", "November rent", kind="CHECK"),
    ]
    write(out / "checking-v1.ofx", bank_file(checking), 102)
    card = [
        transaction("CC-1", 6, "-1200", "JR EAST", "Shinkansen"),
        transaction("CC-2", 7, "-350", "LAWSON"),
        transaction("CC-3", 8, "200", "LAWSON", "return"),
        transaction("CC-4", 9, "-0.125", "Kuwait Airways", "seat", currency=CURRENCY(cursym="KWD", currate=Decimal("500"))),
        transaction("CC-5", 10, "0", "BANK", "card check"),
    ]
    write(out / "card-v2.qfx", card_file(card), 220)
    overlap = [
        checking[3],
        transaction("20261120-0005", 20, "-45.00", "DB Fernverkehr", "train"),
    ]
    write(out / "overlap-v1.ofx", bank_file(overlap), 102)


if __name__ == "__main__":
    main()
