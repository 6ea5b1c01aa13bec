//! Reading OFX bank files (`.ofx`, `.qfx`) for `expense import`: OFX 1.x (SGML, where a value's
//! closing tag is optional) and OFX 2.x (XML), told apart by nothing but what the parser meets.
//!
//! No OFX crate with a record of upkeep exists, so this is a small tolerant reader of our own,
//! fuzzed by the property tests below: it builds the element tree (a leaf's end tag may be
//! missing, as SGML allows), then picks out each statement (`STMTRS` of a bank account,
//! `CCSTMTRS` of a card) with its currency (`CURDEF`), its account and its transactions
//! (`STMTTRN`). Anything malformed above the transactions refuses the file with a reason;
//! a bad transaction is left for the caller to refuse alone ([`Transaction`] keeps every field
//! as the file wrote it). It never panics, whatever the bytes.
//!
//! What a transaction means for an expense (debits spent, credits refunded, the currency, the
//! tag that recognises a re-import) is [`Transaction::to_expense`].

use expense_api::expenses::{DecimalString, NewExpense};
use expense_api::money::{Currency, Money};

use crate::dates;

/// Deepest element nesting accepted (real files nest about 8 deep).
const MAX_DEPTH: usize = 64;

/// One statement of the file: one account's transactions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `CURDEF`: the account's currency.
    pub currency: String,
    /// The bank's id and the account's id (`BANKID`/`ACCTID`), as the file wrote them.
    pub account: String,
    pub transactions: Vec<Transaction>,
}

/// One `STMTTRN`, every field as the file wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transaction {
    /// Line of its `<STMTTRN>` tag.
    pub line: u64,
    pub fitid: Option<String>,
    pub kind: Option<String>,
    pub posted: Option<String>,
    pub user_date: Option<String>,
    pub amount: Option<String>,
    pub name: Option<String>,
    pub memo: Option<String>,
    /// `CURRENCY/CURSYM`: the amount is in this currency instead of the statement's.
    pub currency: Option<String>,
}

/// Whether `bytes` look like an OFX file (either version), whatever the file's name.
pub fn looks_like_ofx(bytes: &[u8]) -> bool {
    let start = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(start);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("OFXHEADER")
        || text.contains("<?OFX")
        || text.contains("<OFX>")
        || text.to_ascii_uppercase().starts_with("<OFX")
}

/// The statements of an OFX file; the error says why the file cannot be read.
pub fn parse(bytes: &[u8]) -> Result<Vec<Statement>, String> {
    let text = decode(bytes);
    let root = tree(&text)?;
    let ofx = find(&root, "OFX").ok_or("there is no <OFX> element: not an OFX file")?;
    let mut statements = Vec::new();
    collect_statements(ofx, 0, &mut statements)?;
    if statements.is_empty() {
        return Err("the file holds no bank or card statement (STMTRS or CCSTMTRS)".to_owned());
    }
    Ok(statements)
}

/// UTF-8 if the bytes are UTF-8, else Windows-1252 (what OFX 1.x files with `CHARSET:1252`
/// hold).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
        '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        other => char::from(other),
    }
}

/// An element of the tree.
#[derive(Debug, Default)]
struct Element {
    name: String,
    line: u64,
    text: String,
    children: Vec<Element>,
}

/// Builds the element tree under a synthetic root. SGML leaves (`<TRNAMT>-12.50` with no end
/// tag) are closed by the next tag; an end tag closes every element opened inside its own.
fn tree(text: &str) -> Result<Element, String> {
    let mut stack = vec![Element::default()];
    let mut line: u64 = 1;
    let mut rest = text;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            append_text(&mut stack, rest);
            break;
        };
        append_text(&mut stack, &rest[..open]);
        line += count_lines(&rest[..open]);
        rest = &rest[open..];
        // Processing instructions (`<?xml …?>`, `<?OFX …?>`), comments and declarations.
        let skip_to = if rest.starts_with("<?") {
            Some("?>")
        } else if rest.starts_with("<!--") {
            Some("-->")
        } else if rest.starts_with("<!") {
            Some(">")
        } else {
            None
        };
        if let Some(end) = skip_to {
            let close = rest
                .find(end)
                .ok_or_else(|| format!("line {line}: a declaration is never closed"))?;
            line += count_lines(&rest[..close]);
            rest = &rest[close + end.len()..];
            continue;
        }
        let close = rest
            .find('>')
            .ok_or_else(|| format!("line {line}: a tag is never closed (the file is cut short?)"))?;
        let tag = &rest[1..close];
        line += count_lines(tag);
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            close_element(&mut stack, name.trim(), line)?;
            continue;
        }
        let self_closing = tag.ends_with('/');
        let name = tag
            .trim_end_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or_default();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        {
            return Err(format!("line {line}: <{tag}> is not an OFX tag"));
        }
        close_open_leaf(&mut stack);
        if stack.len() > MAX_DEPTH {
            return Err(format!("line {line}: elements nest deeper than {MAX_DEPTH}"));
        }
        let element = Element {
            name: name.to_ascii_uppercase(),
            line,
            ..Element::default()
        };
        if self_closing {
            stack.last_mut().expect("the root stays").children.push(element);
        } else {
            stack.push(element);
        }
    }
    close_open_leaf(&mut stack);
    if stack.len() > 1 {
        let open = stack.last().expect("not empty");
        return Err(format!(
            "the file ends inside <{}> (opened on line {}): it is cut short",
            open.name, open.line
        ));
    }
    Ok(stack.pop().expect("the root"))
}

fn count_lines(text: &str) -> u64 {
    text.bytes().filter(|&b| b == b'\n').count() as u64
}

fn append_text(stack: &mut [Element], text: &str) {
    let top = stack.last_mut().expect("the root stays");
    let decoded = decode_entities(text);
    let trimmed = decoded.trim();
    if !trimmed.is_empty() {
        if !top.text.is_empty() {
            top.text.push(' ');
        }
        top.text.push_str(trimmed);
    }
}

/// An open element holding text and no children is an SGML leaf whose end tag was left out.
fn close_open_leaf(stack: &mut Vec<Element>) {
    if stack.len() > 1 {
        let top = stack.last().expect("not empty");
        if !top.text.is_empty() && top.children.is_empty() {
            let leaf = stack.pop().expect("not empty");
            stack.last_mut().expect("the root stays").children.push(leaf);
        }
    }
}

fn close_element(stack: &mut Vec<Element>, name: &str, line: u64) -> Result<(), String> {
    let Some(position) = stack
        .iter()
        .skip(1)
        .rposition(|e| e.name.eq_ignore_ascii_case(name))
        .map(|p| p + 1)
    else {
        return Err(format!("line {line}: </{name}> closes nothing that is open"));
    };
    while stack.len() > position {
        let element = stack.pop().expect("not empty");
        stack.last_mut().expect("the root stays").children.push(element);
    }
    Ok(())
}

/// `&amp;` and friends, and numeric references; anything else stays as written.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let character = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            character.map(|c| (c, end))
        });
        match decoded {
            Some((character, end)) => {
                out.push(character);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first element named `name` at or below `element`, depth first.
fn find<'a>(element: &'a Element, name: &str) -> Option<&'a Element> {
    if element.name == name {
        return Some(element);
    }
    element.children.iter().find_map(|child| find(child, name))
}

fn child_text(element: &Element, name: &str) -> Option<String> {
    element
        .children
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.text.clone())
        .filter(|t| !t.is_empty())
}

fn collect_statements(
    element: &Element,
    depth: usize,
    statements: &mut Vec<Statement>,
) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    if element.name == "STMTRS" || element.name == "CCSTMTRS" {
        statements.push(statement(element)?);
        return Ok(());
    }
    for child in &element.children {
        collect_statements(child, depth + 1, statements)?;
    }
    Ok(())
}

fn statement(element: &Element) -> Result<Statement, String> {
    let currency = child_text(element, "CURDEF").ok_or_else(|| {
        format!(
            "the statement on line {} names no currency (CURDEF)",
            element.line
        )
    })?;
    let account_element = element
        .children
        .iter()
        .find(|c| c.name == "BANKACCTFROM" || c.name == "CCACCTFROM");
    let account = account_element
        .map(|a| {
            [child_text(a, "BANKID"), child_text(a, "ACCTID")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default();
    let transactions = element
        .children
        .iter()
        .filter(|c| c.name == "BANKTRANLIST")
        .flat_map(|list| list.children.iter().filter(|c| c.name == "STMTTRN"))
        .map(|t| Transaction {
            line: t.line,
            fitid: child_text(t, "FITID"),
            kind: child_text(t, "TRNTYPE"),
            posted: child_text(t, "DTPOSTED"),
            user_date: child_text(t, "DTUSER"),
            amount: child_text(t, "TRNAMT"),
            name: child_text(t, "NAME").or_else(|| {
                t.children
                    .iter()
                    .find(|c| c.name == "PAYEE")
                    .and_then(|payee| child_text(payee, "NAME"))
            }),
            memo: child_text(t, "MEMO"),
            currency: t
                .children
                .iter()
                .find(|c| c.name == "CURRENCY")
                .and_then(|c| child_text(c, "CURSYM")),
        })
        .collect();
    Ok(Statement {
        currency,
        account,
        transactions,
    })
}

/// The tag that marks an expense imported from one bank transaction: `ofx-` and the first 16 hex
/// digits of the SHA-256 of the account and the bank's `FITID` (unique within an account, by the
/// OFX specification). A re-import finds it and stores nothing twice.
pub fn import_tag(account: &str, fitid: &str) -> String {
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("expense-ofx-v1\n{account}\n{fitid}").as_bytes(),
    );
    let hex: String = digest.as_ref()[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("ofx-{hex}")
}

impl Transaction {
    /// The `POST /v1/expenses` body this transaction becomes, or why it cannot: a debit (negative
    /// `TRNAMT`) is spent money, a credit a refund (a negative expense); the currency is the
    /// transaction's own or the statement's; the payee (`NAME`) is the merchant and `MEMO` the
    /// note; the day is the date part of `DTPOSTED` (else `DTUSER`), as the bank wrote it.
    pub fn to_expense(&self, statement: &Statement, category: &str) -> Result<NewExpense, String> {
        let fitid = self.fitid.as_deref().ok_or("no FITID: the bank gave it no id")?;
        let raw_date = self
            .posted
            .as_deref()
            .or(self.user_date.as_deref())
            .ok_or("no DTPOSTED: the transaction has no date")?;
        let spent_on = raw_date
            .get(..8)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| {
                dates::iso_date(&format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]))
            })
            .ok_or_else(|| format!("DTPOSTED {raw_date:?} is not a date (YYYYMMDD…)"))?;
        let code = self
            .currency
            .as_deref()
            .unwrap_or(&statement.currency)
            .trim()
            .to_uppercase();
        let currency: Currency = code.parse().map_err(|e| format!("currency: {e}"))?;
        let raw_amount = self
            .amount
            .as_deref()
            .ok_or("no TRNAMT: the transaction has no amount")?;
        let money = expense_amount(raw_amount, currency)?;
        let tag = import_tag(&statement.account, fitid);
        Ok(NewExpense {
            amount: DecimalString(money.amount()),
            currency: currency.code().to_owned(),
            category: Some(category.to_owned()),
            note: self.memo.clone(),
            merchant: self.name.clone(),
            spent_on: dates::format(spent_on),
            tags: vec![tag],
        })
    }
}

/// The expense amount of a `TRNAMT`: its opposite (money out is spent), exact. A decimal comma
/// is read as a point, a leading `+` is allowed, and zeros past the currency's decimals are
/// dropped (`-1200.00` JPY is 1200 JPY); any other digit past them refuses the entry.
fn expense_amount(text: &str, currency: Currency) -> Result<Money, String> {
    let text = text.trim().replace(',', ".");
    let (negative, magnitude) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let exponent = usize::from(currency.exponent());
    let magnitude = match magnitude.split_once('.') {
        Some((whole, fraction))
            if fraction.len() > exponent && fraction[exponent..].bytes().all(|b| b == b'0') =>
        {
            if exponent == 0 {
                whole.to_owned()
            } else {
                format!("{whole}.{}", &fraction[..exponent])
            }
        }
        _ => magnitude.to_owned(),
    };
    let parsed = Money::parse(&magnitude, currency).map_err(|e| format!("TRNAMT {text:?}: {e}"))?;
    if parsed.minor() == 0 {
        return Err(format!("TRNAMT {text:?} is zero: nothing was spent"));
    }
    let minor = if negative { parsed.minor() } else { -parsed.minor() };
    Money::from_minor(minor, currency).map_err(|e| format!("TRNAMT {text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SGML: &str = "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nCHARSET:1252\r\n\r\n\
<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20261126</SONRS></SIGNONMSGSRSV1>\r\n\
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>123<ACCTID>456<ACCTTYPE>CHECKING</BANKACCTFROM>\r\n\
<BANKTRANLIST><DTSTART>20261101<DTEND>20261130\r\n\
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20261102120000[+1:CET]<TRNAMT>-12.5<FITID>A1<NAME>Lidl &amp; Co<MEMO>weekly</STMTTRN>\r\n\
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20261103<TRNAMT>3,00<FITID>A2<PAYEE><NAME>Shop</PAYEE></STMTTRN>\r\n\
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\r\n";

    #[test]
    fn sgml_statements_are_read() {
        let statements = parse(SGML.as_bytes()).unwrap();
        assert_eq!(statements.len(), 1);
        let statement = &statements[0];
        assert_eq!(
            (statement.currency.as_str(), statement.account.as_str()),
            ("EUR", "123/456")
        );
        let [debit, credit] = &statement.transactions[..] else {
            panic!("{statement:?}")
        };
        assert_eq!(debit.line, 9);
        assert_eq!(debit.name.as_deref(), Some("Lidl & Co"));
        let expense = debit.to_expense(statement, "imported").unwrap();
        assert_eq!(
            (
                expense.amount.0.as_str(),
                expense.spent_on.as_str(),
                expense.note.as_deref()
            ),
            ("12.50", "2026-11-02", Some("weekly"))
        );
        let refund = credit.to_expense(statement, "imported").unwrap();
        assert_eq!(
            (refund.amount.0.as_str(), refund.merchant.as_deref()),
            ("-3.00", Some("Shop"))
        );
        assert_ne!(expense.tags, refund.tags);
    }

    #[test]
    fn amounts_are_exact_in_the_currency() {
        let jpy: Currency = "JPY".parse().unwrap();
        let kwd: Currency = "KWD".parse().unwrap();
        assert_eq!(expense_amount("-1200.00", jpy).unwrap().amount(), "1200");
        assert_eq!(expense_amount("+0.125", kwd).unwrap().amount(), "-0.125");
        assert!(expense_amount("-1200.50", jpy).is_err());
        assert!(expense_amount("0.00", kwd).is_err());
        assert!(expense_amount("12e3", kwd).is_err());
    }

    #[test]
    fn malformed_files_are_refused_with_a_reason() {
        let cut = &SGML[..SGML.find("<STMTTRN><TRNTYPE>CREDIT").unwrap()];
        assert!(parse(cut.as_bytes()).unwrap_err().contains("cut short"));
        assert!(parse(b"hello").unwrap_err().contains("no <OFX>"));
        assert!(
            parse(b"<OFX></STMTRS></OFX>")
                .unwrap_err()
                .contains("closes nothing")
        );
        assert!(
            parse(b"<OFX><SIGNONMSGSRSV1></SIGNONMSGSRSV1></OFX>")
                .unwrap_err()
                .contains("no bank")
        );
        assert!(looks_like_ofx(SGML.as_bytes()));
        assert!(!looks_like_ofx(b"date,amount\n"));
    }

    /// A transaction to write into a file and read back.
    #[derive(Debug, Clone)]
    struct Written {
        fitid: String,
        amount: String,
        name: String,
        memo: String,
    }

    /// Text as banks write it, with the characters markup must escape.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select("abcXYZ019 &<>\"'é€;|".chars().collect::<Vec<_>>()),
            1..24,
        )
        .prop_map(|chars| chars.into_iter().collect::<String>().trim().to_owned())
        .prop_filter("not blank", |t| !t.is_empty())
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    fn written() -> impl Strategy<Value = Written> {
        (
            "[A-Za-z0-9]{1,20}",
            (1i64..100_000_000, any::<bool>()),
            text(),
            text(),
        )
            .prop_map(|(fitid, (minor, debit), name, memo)| Written {
                fitid,
                amount: format!(
                    "{}{}.{:02}",
                    if debit { "-" } else { "" },
                    minor / 100,
                    minor % 100
                ),
                name,
                memo,
            })
    }

    /// The same statement as OFX 1 (SGML, leaves unclosed) or OFX 2 (XML).
    fn file(transactions: &[Written], xml: bool) -> String {
        let leaf = |name: &str, value: &str| {
            if xml {
                format!("<{name}>{}</{name}>", escape(value))
            } else {
                format!("<{name}>{}\n", escape(value))
            }
        };
        let mut body = String::from("<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>");
        body.push_str(&leaf("CURDEF", "EUR"));
        body.push_str(&format!("<BANKACCTFROM>{}</BANKACCTFROM>", leaf("ACCTID", "1")));
        body.push_str("<BANKTRANLIST>\n");
        for t in transactions {
            body.push_str("<STMTTRN>");
            body.push_str(&leaf("TRNTYPE", "OTHER"));
            body.push_str(&leaf("DTPOSTED", "20261102"));
            body.push_str(&leaf("TRNAMT", &t.amount));
            body.push_str(&leaf("FITID", &t.fitid));
            body.push_str(&leaf("NAME", &t.name));
            body.push_str(&leaf("MEMO", &t.memo));
            body.push_str("</STMTTRN>\n");
        }
        body.push_str("</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n");
        if xml {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?OFX OFXHEADER=\"200\" VERSION=\"220\"?>\n{body}"
            )
        } else {
            format!("OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n{body}")
        }
    }

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 1_000,
            rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
            ..ProptestConfig::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// Arbitrary bytes, alone or after a real header: an answer, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(
            bytes in proptest::collection::vec(any::<u8>(), 0..2048),
            with_header in any::<bool>(),
        ) {
            let mut input = if with_header { SGML.as_bytes()[..200].to_vec() } else { Vec::new() };
            input.extend_from_slice(&bytes);
            if let Ok(statements) = parse(&input) {
                for statement in &statements {
                    for transaction in &statement.transactions {
                        let _ = transaction.to_expense(statement, "x");
                    }
                }
            }
        }

        /// Markup-like noise (tags, entities, truncation): an answer, never a panic.
        #[test]
        fn tag_soup_never_panics(
            pieces in proptest::collection::vec(prop_oneof![
                Just("<OFX>"), Just("</OFX>"), Just("<STMTRS>"), Just("</STMTRS>"), Just("<CURDEF>EUR"),
                Just("<BANKTRANLIST>"), Just("</BANKTRANLIST>"), Just("<STMTTRN>"), Just("</STMTTRN>"),
                Just("<TRNAMT>-1.5"), Just("<FITID>x"), Just("<DTPOSTED>20261102"), Just("&amp;"), Just("&#x"),
                Just("<"), Just(">"), Just("<!--"), Just("<?"), Just("<A/>"), Just("\n"),
            ], 0..64),
        ) {
            let input: String = pieces.concat();
            let _ = parse(input.as_bytes());
        }

        /// Statements written either way read back as exactly what was written.
        #[test]
        fn written_statements_round_trip(
            transactions in proptest::collection::vec(written(), 1..8),
            xml in any::<bool>(),
        ) {
            let statements = parse(file(&transactions, xml).as_bytes()).unwrap();
            prop_assert_eq!(statements.len(), 1);
            let read = &statements[0].transactions;
            prop_assert_eq!(read.len(), transactions.len());
            for (read, written) in read.iter().zip(&transactions) {
                prop_assert_eq!(read.fitid.as_deref(), Some(written.fitid.as_str()));
                prop_assert_eq!(read.amount.as_deref(), Some(written.amount.as_str()));
                prop_assert_eq!(read.name.as_deref(), Some(written.name.as_str()));
                prop_assert_eq!(read.memo.as_deref(), Some(written.memo.as_str()));
                let minor: i64 = written.amount.replace(['.', '-'], "").parse().unwrap();
                let expense = read.to_expense(&statements[0], "x");
                if minor == 0 {
                    prop_assert!(expense.is_err());
                } else {
                    let expense = expense.unwrap();
                    let amount = expense.amount.0.as_str();
                    prop_assert_eq!(amount.starts_with('-'), !written.amount.starts_with('-'));
                }
            }
        }
    }
}
