# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_expense_global_optspecs
    string join \n api-url= profile= insecure today= color= no-pager h/help V/version
end

function __fish_expense_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_expense_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_expense_using_subcommand
    set -l cmd (__fish_expense_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c expense -n "__fish_expense_needs_command" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_needs_command" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_needs_command" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_needs_command" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_needs_command" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_needs_command" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_needs_command" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_needs_command" -f -a "add" -d 'Record an expense: `expense add 12.50 groceries --note "weekly shop"` (without a category, your rules give it: `expense add 3.20 --merchant "LIDL BERLIN"`)'
complete -c expense -n "__fish_expense_needs_command" -f -a "ls" -d 'List expenses, newest first, with filters'
complete -c expense -n "__fish_expense_needs_command" -f -a "show" -d 'Show one expense'
complete -c expense -n "__fish_expense_needs_command" -f -a "edit" -d 'Change an expense (refused if it changed meanwhile)'
complete -c expense -n "__fish_expense_needs_command" -f -a "rm" -d 'Delete expenses (asks first on a terminal)'
complete -c expense -n "__fish_expense_needs_command" -f -a "summary" -d 'Totals per category, month or day, per currency (or all in one: --in EUR), with bars'
complete -c expense -n "__fish_expense_needs_command" -f -a "budget" -d 'Monthly budgets'
complete -c expense -n "__fish_expense_needs_command" -f -a "recurring" -d 'Expenses recorded on a schedule (rent, subscriptions): add, ls, pause, resume, rm'
complete -c expense -n "__fish_expense_needs_command" -f -a "rates" -d 'Exchange rates for totals in one currency (`summary --in EUR`): set, ls, rm, import'
complete -c expense -n "__fish_expense_needs_command" -f -a "rules" -d 'Categorisation rules: the category of expenses added or imported without one (add, ls, rm, test, apply)'
complete -c expense -n "__fish_expense_needs_command" -f -a "categories" -d 'Categories: list (default), rename, merge'
complete -c expense -n "__fish_expense_needs_command" -f -a "import" -d 'Import expenses from a CSV or OFX bank file (safe to run again)'
complete -c expense -n "__fish_expense_needs_command" -f -a "export" -d 'Export every matching expense as CSV, JSON, NDJSON, or an hledger or beancount journal'
complete -c expense -n "__fish_expense_needs_command" -f -a "receipt" -d 'Receipts: upload, ls, download, open, rm'
complete -c expense -n "__fish_expense_needs_command" -f -a "notifications" -d 'Budget alerts and monthly summaries: ls, read, settings'
complete -c expense -n "__fish_expense_needs_command" -f -a "webhooks" -d 'Signed HTTPS callbacks for your scripts: add, ls, rm, test, deliveries'
complete -c expense -n "__fish_expense_needs_command" -f -a "register" -d 'Create an account and sign in'
complete -c expense -n "__fish_expense_needs_command" -f -a "login" -d 'Sign in'
complete -c expense -n "__fish_expense_needs_command" -f -a "logout" -d 'Sign out: end the session on the server and forget its tokens here'
complete -c expense -n "__fish_expense_needs_command" -f -a "account" -d 'Your account: change the password, export everything it owns'
complete -c expense -n "__fish_expense_needs_command" -f -a "whoami" -d 'Show the signed-in account'
complete -c expense -n "__fish_expense_needs_command" -f -a "auth" -d 'Sign-in status and tokens'
complete -c expense -n "__fish_expense_needs_command" -f -a "token" -d 'Personal access tokens for scripts and CI'
complete -c expense -n "__fish_expense_needs_command" -f -a "admin" -d 'Administration (admins only)'
complete -c expense -n "__fish_expense_needs_command" -f -a "config" -d 'Settings of the active profile (default currency, server)'
complete -c expense -n "__fish_expense_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c expense -n "__fish_expense_needs_command" -f -a "api" -d 'Call the API directly, signed in: `expense api GET /v1/me`'
complete -c expense -n "__fish_expense_needs_command" -f -a "help" -d 'Help on a topic (dates, periods, formats, exit-codes, environment) or a command'
complete -c expense -n "__fish_expense_needs_command" -f -a "man-pages" -d 'Write the man pages into a directory (`cargo xtask codegen` keeps docs/man/ current)'
complete -c expense -n "__fish_expense_using_subcommand add" -l note -d 'A note' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l merchant -d 'Where the money went' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l tag -d 'A tag (repeat for several)' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l date -d 'The day: today (default), yesterday, "3 days ago", monday, or YYYY-MM-DD' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l currency -d 'ISO 4217 currency (default: the profile\'s `default_currency`)' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l receipt -d 'Attach a receipt (JPEG, PNG, WebP, HEIC or PDF) right after recording the expense' -r -F
complete -c expense -n "__fish_expense_using_subcommand add" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand add" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand add" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand add" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand add" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand add" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand ls" -l category -d 'Only this category (repeat for several)' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l from -d 'From this day (inclusive): YYYY-MM-DD, yesterday, "3 days ago", …' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l to -d 'Up to this day (inclusive)' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l period -d 'A period: "this month", "last month", 2026-10, "last 30 days", "this year", …' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l min -d 'At least this amount (in each expense\'s own currency)' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l max -d 'At most this amount' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l currency -d 'Only this currency' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l tag -d 'Only expenses with this tag' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l search -d 'Text to find in notes and merchants (case-insensitive)' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l limit -d 'How many expenses to show' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand ls" -l all -d 'Every matching expense, page after page (printed as they arrive)'
complete -c expense -n "__fish_expense_using_subcommand ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand show" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand show" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand show" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand show" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand show" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand show" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand show" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand show" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand show" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand show" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand edit" -l amount -d 'New amount' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l currency -d 'New currency (the amount is read again in it)' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l category -d 'New category' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l note -d 'New note ("" removes it)' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l merchant -d 'New merchant ("" removes it)' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l date -d 'New day' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l tag -d 'Replace the tags (repeat for several)' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand edit" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand edit" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand edit" -l clear-tags -d 'Remove every tag'
complete -c expense -n "__fish_expense_using_subcommand edit" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand edit" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand edit" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rm" -s y -l yes -d 'Do not ask (required when not on a terminal)'
complete -c expense -n "__fish_expense_using_subcommand rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand summary" -l by -d 'How to group' -r -f -a "category\t''
month\t''
day\t''"
complete -c expense -n "__fish_expense_using_subcommand summary" -l period -d 'The period: "this month" (default), "last month", 2026-10, "last 30 days", "this year", …' -r
complete -c expense -n "__fish_expense_using_subcommand summary" -l in -d 'Total in this currency: each expense converted with your rate of its day, or the latest earlier one (see `expense rates`)' -r
complete -c expense -n "__fish_expense_using_subcommand summary" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand summary" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand summary" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand summary" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand summary" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand summary" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand summary" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand summary" -l rates -d 'With --in: list the rates used, per currency and day, instead of the totals'
complete -c expense -n "__fish_expense_using_subcommand summary" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand summary" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand summary" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand summary" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -f -a "set" -d 'Set the monthly budget of a category, or of all spending (`total`)'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -f -a "ls" -d 'Budgets with this period\'s spending'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm" -f -a "rm" -d 'Remove a budget'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l currency -d 'ISO 4217 currency (default: the profile\'s `default_currency`)' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l starts-on-day -d 'The day each period starts (1 to 28): your payday, say' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l convert -d 'Count expenses in other currencies too, converted with the rate of their day (a budget in your home currency; record rates with `expense rates import` or `expense rates set`)'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -f -a "add" -d 'Record an expense on a schedule: `expense recurring add 950 rent --every month --on 1`'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -f -a "ls" -d 'Your schedules, with the next day each records'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -f -a "pause" -d 'Stop recording until resumed'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -f -a "resume" -d 'Record again from today; the days it was paused stay unrecorded'
complete -c expense -n "__fish_expense_using_subcommand recurring; and not __fish_seen_subcommand_from add ls pause resume rm" -f -a "rm" -d 'Delete a schedule; the expenses it recorded stay'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l every -d 'How often: day, week, month or year' -r -f -a "day\t''
week\t''
month\t''
year\t''"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l on -d 'Which day: a weekday for `--every week` (monday … sunday, or 1 … 7), a day of the month (1 … 31) for month and year; a month without that day uses its last day. Default: the day of --from' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l from -d 'The first day it may record (default: the server\'s today): YYYY-MM-DD, tomorrow, …' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l until -d 'The last day it may record (inclusive)' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l note -d 'A note on every expense' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l merchant -d 'Where the money goes' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l tag -d 'A tag (repeat for several)' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l currency -d 'ISO 4217 currency (default: the profile\'s `default_currency`)' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from pause" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand recurring; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -f -a "set" -d 'Record what one FROM was worth in TO on a day: `expense rates set USD EUR 0.9245`'
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -f -a "ls" -d 'Your rates, newest day first'
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -f -a "rm" -d 'Delete the rate of a pair and day'
complete -c expense -n "__fish_expense_using_subcommand rates; and not __fish_seen_subcommand_from set ls rm import" -f -a "import" -d 'Import the European Central Bank\'s reference rates (eurofxref-hist.csv), all against EUR'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l date -d 'The day of the rate (default: today): YYYY-MM-DD, yesterday, …' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l currency -d 'Only rates with this currency on either side' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l period -d 'Only rates of days in this period: "this month", 2026-10, "last 30 days", …' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l limit -d 'How many rates to show' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l all -d 'Every matching rate, page after page (printed as they arrive)'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -l date -d 'The day of the rate (default: today)' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rates; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -f -a "add" -d 'Add a rule: `expense rules add --merchant lidl --category groceries`'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -f -a "ls" -d 'Your rules, in the order they are tried (the first that matches wins)'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -f -a "rm" -d 'Remove a rule; the rules after it move up one'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -f -a "test" -d 'Which rule an expense would get: `expense rules test "LIDL BERLIN 1234"`'
complete -c expense -n "__fish_expense_using_subcommand rules; and not __fish_seen_subcommand_from add ls rm test apply" -f -a "apply" -d 'Give existing expenses the category of the first rule that matches each'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l merchant -d 'Text found in the expense\'s merchant, ignoring case ("lidl" matches "LIDL BERLIN 1234")' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l note-matches -d 'A regular expression found in the expense\'s note, ignoring case ("^card payment .*rewe")' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l amount-min -d 'Only amounts of at least this much (inclusive), in the expense\'s own currency' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l amount-max -d 'Only amounts of at most this much (inclusive), in the expense\'s own currency' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l category -d 'The category the rule gives' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l tag -d 'A tag the rule adds (repeat for several)' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l position -d 'Where the rule goes: 1 is tried first; the rules from there on move one down (default: last)' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l note -d 'The note' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l amount -d 'The amount (without it, rules with amount bounds do not match)' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l category -d 'Only expenses now in this category, such as uncategorized (default: every expense)' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l dry-run -d 'Only show what would change; change nothing'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand rules; and __fish_seen_subcommand_from apply" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -f -a "ls" -d 'Categories in use, with how many expenses each has (the default)'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -f -a "rename" -d 'Rename a category; its expenses and budget follow'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge" -f -a "merge" -d 'Move every expense of one category into another'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand import" -l map -d 'Which column holds a field when the header is not recognised: `--map date=Datum,amount=Betrag`' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l currency -d 'Currency of rows without one (default: the profile\'s `default_currency`)' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l batch-size -d 'Rows per request (1 to 1,000)' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l concurrency -d 'Requests in flight at once' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l category -d 'OFX files: the category of every entry (bank files carry none)' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand import" -l dry-run -d 'Check every row and report, store nothing'
complete -c expense -n "__fish_expense_using_subcommand import" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand import" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand import" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand export" -l format -d 'The format' -r -f -a "csv\t'CSV with a header row; `expense import` reads it back'
json\t'One JSON array'
ndjson\t'One JSON object per line'
ledger\t'An hledger/ledger journal'
beancount\t'A beancount file'"
complete -c expense -n "__fish_expense_using_subcommand export" -l account -d 'Ledger and beancount: the account the money came from [default: the profile\'s `funding_account`, else Assets:Cash]' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l category -d 'Only this category (repeat for several)' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l from -d 'From this day (inclusive): YYYY-MM-DD, yesterday, "3 days ago", …' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l to -d 'Up to this day (inclusive)' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l period -d 'A period: "this month", "last month", 2026-10, "last 30 days", "this year", …' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l min -d 'At least this amount (in each expense\'s own currency)' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l max -d 'At most this amount' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l currency -d 'Only this currency' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l tag -d 'Only expenses with this tag' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l search -d 'Text to find in notes and merchants (case-insensitive)' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand export" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand export" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand export" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand export" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -f -a "upload" -d 'Attach a photo or PDF to an expense'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -f -a "ls" -d 'The receipts of an expense'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -f -a "download" -d 'Download a receipt (its checksum is verified)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -f -a "open" -d 'Download a receipt to a temporary file and open it in the system viewer'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm" -f -a "rm" -d 'Delete a receipt'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -s o -l output -d 'Where to write it (default: receipt-<id>.<ext> here)' -r -F
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -f -a "ls" -d 'Your notifications, newest first'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -f -a "read" -d 'Mark one notification read, or all of them'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings" -f -a "settings" -d 'Show what you are told about; with flags, change it'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l limit -d 'At most this many (1 to 200)' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l unread -d 'Only unread notifications'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l all -d 'Every unread notification'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l budget-alerts -d 'Alerts when spending crosses a budget threshold' -r -f -a "on\t''
off\t''"
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l monthly-summary -d 'Last month\'s summary by e-mail on the 1st' -r -f -a "on\t''
off\t''"
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l thresholds -d 'Percentages of a budget that alert, such as 80,90,100' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -f -a "add" -d 'Register an https:// URL; its signing secret is printed once'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -f -a "ls" -d 'Your webhooks (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -f -a "rm" -d 'Remove a webhook and its delivery log'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -f -a "test" -d 'Send a test delivery and wait for its first attempt'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries" -f -a "deliveries" -d 'A webhook\'s recent deliveries, newest first'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l no-wait -d 'Return once queued, without waiting'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand register" -l email -d 'E-mail address (prompted for on a terminal when left out)' -r
complete -c expense -n "__fish_expense_using_subcommand register" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand register" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand register" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand register" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand register" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand register" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand register" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand register" -l password-stdin -d 'Read the password from standard input (for scripts), instead of prompting'
complete -c expense -n "__fish_expense_using_subcommand register" -l insecure-storage -d 'Keep the tokens in a 0600 file in the config directory instead of the OS keyring'
complete -c expense -n "__fish_expense_using_subcommand register" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand register" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand register" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand login" -l email -d 'E-mail address (prompted for on a terminal when left out)' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand login" -l password-stdin -d 'Read the password from standard input (for scripts), instead of prompting'
complete -c expense -n "__fish_expense_using_subcommand login" -l insecure-storage -d 'Keep the tokens in a 0600 file in the config directory instead of the OS keyring'
complete -c expense -n "__fish_expense_using_subcommand login" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand login" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand login" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand logout" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand logout" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand logout" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand logout" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand logout" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand logout" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand logout" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -f -a "password" -d 'Change the password: every other session is signed out; this one is renewed'
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -f -a "export" -d 'Everything your account owns, receipts included, in one zip file'
complete -c expense -n "__fish_expense_using_subcommand account; and not __fish_seen_subcommand_from password export delete" -f -a "delete" -d 'Delete the account and everything it owns, in every service; asks for the password and for the e-mail address, typed, to confirm'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -l revoke-tokens -d 'Also revoke every personal access token (by default they keep working)'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -l password-stdin -d 'Read the current password and then the new one, one per line, from standard input (for scripts), instead of prompting'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from password" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l force -d 'Replace FILE if it exists'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -l yes -d 'Do not ask for the e-mail address to confirm (for scripts)'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -l password-stdin -d 'Read the password from standard input (for scripts), instead of prompting'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand account; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand whoami" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand whoami" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand whoami" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand whoami" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand whoami" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand whoami" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand whoami" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand whoami" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand whoami" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -f -a "status" -d 'Which account, which server, where the token comes from, and whether it still works'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token" -f -a "token" -d 'Print an access token for the signed-in account (refreshed if needed), for scripts: `curl -H "Authorization: Bearer $(expense auth token)" …`'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -f -a "create" -d 'Create a token; its secret is printed once. Needs a signed-in session (not a token)'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -f -a "ls" -d 'List your tokens (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke" -f -a "revoke" -d 'Revoke a token; it stops working everywhere within a minute'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l expires-in-days -d 'Lifetime in days (1 to 366)' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users" -f -a "users" -d 'Manage accounts'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "ls" -d 'List accounts in creation order'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "disable" -d 'Disable an account: its sessions end and its tokens stop working'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "enable" -d 'Re-enable a disabled account'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -f -a "get" -d 'Print one setting of the active profile'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -f -a "set" -d 'Change one setting of the active profile: api_url, default_currency, funding_account'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls" -f -a "ls" -d 'Every setting of the active profile'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand completions" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand completions" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand completions" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand completions" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand completions" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand completions" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand completions" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand api" -s F -l field -d 'A typed field: true, false, null and integers become JSON values, @FILE the file\'s text' -r
complete -c expense -n "__fish_expense_using_subcommand api" -s f -l raw-field -d 'A string field' -r
complete -c expense -n "__fish_expense_using_subcommand api" -l input -d 'The request body from a file (`-` for standard input); fields then go to the query' -r -F
complete -c expense -n "__fish_expense_using_subcommand api" -s H -l header -d 'An extra request header (repeatable): `-H \'If-Match: 3\'`' -r
complete -c expense -n "__fish_expense_using_subcommand api" -l jq -d 'Filter the JSON answer with a jq expression (strings printed raw)' -r
complete -c expense -n "__fish_expense_using_subcommand api" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand api" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand api" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand api" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand api" -s i -l include -d 'Print the status line and the response headers before the body'
complete -c expense -n "__fish_expense_using_subcommand api" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand api" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand api" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand api" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand help" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand help" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand man-pages" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand man-pages" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand man-pages" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand man-pages" -l color -d 'When to colour the output: auto (terminals, unless NO_COLOR), always or never' -r -f -a "auto\t'On terminals, unless `NO_COLOR`; `CLICOLOR_FORCE` also when piped'
always\t'Always, also when piped and whatever the environment says'
never\t'Never'"
complete -c expense -n "__fish_expense_using_subcommand man-pages" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand man-pages" -l no-pager -d 'Print long output straight to the terminal, without a pager (EXPENSE_PAGER, PAGER, or `less -FRX`)'
complete -c expense -n "__fish_expense_using_subcommand man-pages" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand man-pages" -s V -l version -d 'Print version'
