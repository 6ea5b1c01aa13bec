# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_expense_global_optspecs
    string join \n api-url= profile= insecure today= h/help V/version
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
complete -c expense -n "__fish_expense_needs_command" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_needs_command" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_needs_command" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_needs_command" -f -a "add" -d 'Record an expense: `expense add 12.50 groceries --note "weekly shop"`'
complete -c expense -n "__fish_expense_needs_command" -f -a "ls" -d 'List expenses, newest first, with filters'
complete -c expense -n "__fish_expense_needs_command" -f -a "show" -d 'Show one expense'
complete -c expense -n "__fish_expense_needs_command" -f -a "edit" -d 'Change an expense (refused if it changed meanwhile)'
complete -c expense -n "__fish_expense_needs_command" -f -a "rm" -d 'Delete expenses (asks first on a terminal)'
complete -c expense -n "__fish_expense_needs_command" -f -a "summary" -d 'Totals per category, month or day, per currency, with bars'
complete -c expense -n "__fish_expense_needs_command" -f -a "budget" -d 'Monthly budgets'
complete -c expense -n "__fish_expense_needs_command" -f -a "categories" -d 'Categories: list (default), rename, merge'
complete -c expense -n "__fish_expense_needs_command" -f -a "import" -d 'Import expenses from a CSV file (safe to run again)'
complete -c expense -n "__fish_expense_needs_command" -f -a "export" -d 'Export every matching expense as CSV, JSON or NDJSON'
complete -c expense -n "__fish_expense_needs_command" -f -a "receipt" -d 'Receipts: upload, ls, download, open, rm'
complete -c expense -n "__fish_expense_needs_command" -f -a "notifications" -d 'Budget alerts and monthly summaries: ls, read, settings'
complete -c expense -n "__fish_expense_needs_command" -f -a "webhooks" -d 'Signed HTTPS callbacks for your scripts: add, ls, rm, test, deliveries'
complete -c expense -n "__fish_expense_needs_command" -f -a "register" -d 'Create an account and sign in'
complete -c expense -n "__fish_expense_needs_command" -f -a "login" -d 'Sign in'
complete -c expense -n "__fish_expense_needs_command" -f -a "logout" -d 'Sign out: end the session on the server and forget its tokens here'
complete -c expense -n "__fish_expense_needs_command" -f -a "whoami" -d 'Show the signed-in account'
complete -c expense -n "__fish_expense_needs_command" -f -a "auth" -d 'Sign-in status and tokens'
complete -c expense -n "__fish_expense_needs_command" -f -a "token" -d 'Personal access tokens for scripts and CI'
complete -c expense -n "__fish_expense_needs_command" -f -a "admin" -d 'Administration (admins only)'
complete -c expense -n "__fish_expense_needs_command" -f -a "config" -d 'Settings of the active profile (default currency, server)'
complete -c expense -n "__fish_expense_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c expense -n "__fish_expense_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand add" -l insecure -d 'Allow plain http:// to a host that is not this machine'
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
complete -c expense -n "__fish_expense_using_subcommand ls" -l all -d 'Every matching expense, page after page (printed as they arrive)'
complete -c expense -n "__fish_expense_using_subcommand ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
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
complete -c expense -n "__fish_expense_using_subcommand show" -l insecure -d 'Allow plain http:// to a host that is not this machine'
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
complete -c expense -n "__fish_expense_using_subcommand edit" -l clear-tags -d 'Remove every tag'
complete -c expense -n "__fish_expense_using_subcommand edit" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand edit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand edit" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand rm" -s y -l yes -d 'Do not ask (required when not on a terminal)'
complete -c expense -n "__fish_expense_using_subcommand rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand rm" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand summary" -l by -d 'How to group' -r -f -a "category\t''
month\t''
day\t''"
complete -c expense -n "__fish_expense_using_subcommand summary" -l period -d 'The period: "this month" (default), "last month", 2026-10, "last 30 days", "this year", …' -r
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
complete -c expense -n "__fish_expense_using_subcommand summary" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand summary" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand summary" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -f -a "set" -d 'Set the monthly budget of a category, or of all spending (`total`)'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -f -a "ls" -d 'Budgets with this period\'s spending'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -f -a "rm" -d 'Remove a budget'
complete -c expense -n "__fish_expense_using_subcommand budget; and not __fish_seen_subcommand_from set ls rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from set" -l insecure -d 'Allow plain http:// to a host that is not this machine'
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
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set the monthly budget of a category, or of all spending (`total`)'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from help" -f -a "ls" -d 'Budgets with this period\'s spending'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a budget'
complete -c expense -n "__fish_expense_using_subcommand budget; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -l json -d 'Print JSON; with FIELDS (comma-separated), only those fields' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -l jq -d 'Filter the JSON output with a jq expression, such as `.[].email`' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -l format -d 'Output format (default: a table on a terminal, TSV when piped)' -r -f -a "table\t'The aligned table shown on a terminal'
tsv\t'Tab-separated values, no header'
csv\t'Comma-separated values with a header row'
json\t'Pretty-printed JSON'
ndjson\t'One JSON object per line'"
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -f -a "ls" -d 'Categories in use, with how many expenses each has (the default)'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -f -a "rename" -d 'Rename a category; its expenses and budget follow'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -f -a "merge" -d 'Move every expense of one category into another'
complete -c expense -n "__fish_expense_using_subcommand categories; and not __fish_seen_subcommand_from ls rename merge help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from merge" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from help" -f -a "ls" -d 'Categories in use, with how many expenses each has (the default)'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a category; its expenses and budget follow'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from help" -f -a "merge" -d 'Move every expense of one category into another'
complete -c expense -n "__fish_expense_using_subcommand categories; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand import" -l map -d 'Which column holds a field when the header is not recognised: `--map date=Datum,amount=Betrag`' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l currency -d 'Currency of rows without one (default: the profile\'s `default_currency`)' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l batch-size -d 'Rows per request (1 to 1,000)' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l concurrency -d 'Requests in flight at once' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand import" -l dry-run -d 'Check every row and report, store nothing'
complete -c expense -n "__fish_expense_using_subcommand import" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand import" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand import" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand export" -l format -d 'The format' -r -f -a "csv\t''
json\t''
ndjson\t''"
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
complete -c expense -n "__fish_expense_using_subcommand export" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand export" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand export" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -f -a "upload" -d 'Attach a photo or PDF to an expense'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -f -a "ls" -d 'The receipts of an expense'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -f -a "download" -d 'Download a receipt (its checksum is verified)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -f -a "open" -d 'Download a receipt to a temporary file and open it in the system viewer'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -f -a "rm" -d 'Delete a receipt'
complete -c expense -n "__fish_expense_using_subcommand receipt; and not __fish_seen_subcommand_from upload ls download open rm help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from upload" -l insecure -d 'Allow plain http:// to a host that is not this machine'
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
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -s o -l output -d 'Where to write it (default: receipt-<id>.<ext> here)' -r -F
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from download" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from open" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "upload" -d 'Attach a photo or PDF to an expense'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "ls" -d 'The receipts of an expense'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "download" -d 'Download a receipt (its checksum is verified)'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "open" -d 'Download a receipt to a temporary file and open it in the system viewer'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a receipt'
complete -c expense -n "__fish_expense_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -f -a "ls" -d 'Your notifications, newest first'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -f -a "read" -d 'Mark one notification read, or all of them'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -f -a "settings" -d 'Show what you are told about; with flags, change it'
complete -c expense -n "__fish_expense_using_subcommand notifications; and not __fish_seen_subcommand_from ls read settings help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l unread -d 'Only unread notifications'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l all -d 'Every unread notification'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from read" -s h -l help -d 'Print help'
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
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from settings" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from help" -f -a "ls" -d 'Your notifications, newest first'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from help" -f -a "read" -d 'Mark one notification read, or all of them'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from help" -f -a "settings" -d 'Show what you are told about; with flags, change it'
complete -c expense -n "__fish_expense_using_subcommand notifications; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -f -a "add" -d 'Register an https:// URL; its signing secret is printed once'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -f -a "ls" -d 'Your webhooks (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -f -a "rm" -d 'Remove a webhook and its delivery log'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -f -a "test" -d 'Send a test delivery and wait for its first attempt'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -f -a "deliveries" -d 'A webhook\'s recent deliveries, newest first'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and not __fish_seen_subcommand_from add ls rm test deliveries help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from add" -l insecure -d 'Allow plain http:// to a host that is not this machine'
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
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l no-wait -d 'Return once queued, without waiting'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
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
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from deliveries" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register an https:// URL; its signing secret is printed once'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from help" -f -a "ls" -d 'Your webhooks (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a webhook and its delivery log'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send a test delivery and wait for its first attempt'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from help" -f -a "deliveries" -d 'A webhook\'s recent deliveries, newest first'
complete -c expense -n "__fish_expense_using_subcommand webhooks; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand register" -l password-stdin -d 'Read the password from standard input (for scripts), instead of prompting'
complete -c expense -n "__fish_expense_using_subcommand register" -l insecure-storage -d 'Keep the tokens in a 0600 file in the config directory instead of the OS keyring'
complete -c expense -n "__fish_expense_using_subcommand register" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand register" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand login" -l email -d 'E-mail address (prompted for on a terminal when left out)' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l password-stdin -d 'Read the password from standard input (for scripts), instead of prompting'
complete -c expense -n "__fish_expense_using_subcommand login" -l insecure-storage -d 'Keep the tokens in a 0600 file in the config directory instead of the OS keyring'
complete -c expense -n "__fish_expense_using_subcommand login" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand login" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand login" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand logout" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand logout" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand logout" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand logout" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand logout" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand logout" -s V -l version -d 'Print version'
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
complete -c expense -n "__fish_expense_using_subcommand whoami" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -f -a "status" -d 'Which account, which server, where the token comes from, and whether it still works'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -f -a "token" -d 'Print an access token for the signed-in account (refreshed if needed), for scripts: `curl -H "Authorization: Bearer $(expense auth token)" …`'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Which account, which server, where the token comes from, and whether it still works'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "token" -d 'Print an access token for the signed-in account (refreshed if needed), for scripts: `curl -H "Authorization: Bearer $(expense auth token)" …`'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -f -a "create" -d 'Create a token; its secret is printed once. Needs a signed-in session (not a token)'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -f -a "ls" -d 'List your tokens (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -f -a "revoke" -d 'Revoke a token; it stops working everywhere within a minute'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from create" -l insecure -d 'Allow plain http:// to a host that is not this machine'
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
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a token; its secret is printed once. Needs a signed-in session (not a token)'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List your tokens (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a token; it stops working everywhere within a minute'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -f -a "users" -d 'Manage accounts'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "ls" -d 'List accounts in creation order'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "disable" -d 'Disable an account: its sessions end and its tokens stop working'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "enable" -d 'Re-enable a disabled account'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "users" -d 'Manage accounts'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -f -a "get" -d 'Print one setting of the active profile'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -f -a "set" -d 'Change one setting of the active profile: api_url, default_currency'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -f -a "ls" -d 'Every setting of the active profile'
complete -c expense -n "__fish_expense_using_subcommand config; and not __fish_seen_subcommand_from get set ls help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
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
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one setting of the active profile'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change one setting of the active profile: api_url, default_currency'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "ls" -d 'Every setting of the active profile'
complete -c expense -n "__fish_expense_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand completions" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand completions" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand completions" -l today -d 'Count relative dates (`yesterday`, `monday`, `last month`) and `add`\'s default date from DATE instead of today\'s local date: for back-filling a past day or replaying a script. The server\'s own "today" (current budget periods) is not changed' -r
complete -c expense -n "__fish_expense_using_subcommand completions" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand completions" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand completions" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "add" -d 'Record an expense: `expense add 12.50 groceries --note "weekly shop"`'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "ls" -d 'List expenses, newest first, with filters'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "show" -d 'Show one expense'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "edit" -d 'Change an expense (refused if it changed meanwhile)'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "rm" -d 'Delete expenses (asks first on a terminal)'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "summary" -d 'Totals per category, month or day, per currency, with bars'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "budget" -d 'Monthly budgets'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "categories" -d 'Categories: list (default), rename, merge'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "import" -d 'Import expenses from a CSV file (safe to run again)'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "export" -d 'Export every matching expense as CSV, JSON or NDJSON'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "receipt" -d 'Receipts: upload, ls, download, open, rm'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "notifications" -d 'Budget alerts and monthly summaries: ls, read, settings'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "webhooks" -d 'Signed HTTPS callbacks for your scripts: add, ls, rm, test, deliveries'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "register" -d 'Create an account and sign in'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "login" -d 'Sign in'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "logout" -d 'Sign out: end the session on the server and forget its tokens here'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "whoami" -d 'Show the signed-in account'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "auth" -d 'Sign-in status and tokens'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "token" -d 'Personal access tokens for scripts and CI'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "admin" -d 'Administration (admins only)'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "config" -d 'Settings of the active profile (default currency, server)'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from add ls show edit rm summary budget categories import export receipt notifications webhooks register login logout whoami auth token admin config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from budget" -f -a "set" -d 'Set the monthly budget of a category, or of all spending (`total`)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from budget" -f -a "ls" -d 'Budgets with this period\'s spending'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from budget" -f -a "rm" -d 'Remove a budget'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from categories" -f -a "ls" -d 'Categories in use, with how many expenses each has (the default)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from categories" -f -a "rename" -d 'Rename a category; its expenses and budget follow'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from categories" -f -a "merge" -d 'Move every expense of one category into another'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "upload" -d 'Attach a photo or PDF to an expense'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "ls" -d 'The receipts of an expense'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "download" -d 'Download a receipt (its checksum is verified)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "open" -d 'Download a receipt to a temporary file and open it in the system viewer'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "rm" -d 'Delete a receipt'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from notifications" -f -a "ls" -d 'Your notifications, newest first'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from notifications" -f -a "read" -d 'Mark one notification read, or all of them'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from notifications" -f -a "settings" -d 'Show what you are told about; with flags, change it'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from webhooks" -f -a "add" -d 'Register an https:// URL; its signing secret is printed once'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from webhooks" -f -a "ls" -d 'Your webhooks (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from webhooks" -f -a "rm" -d 'Remove a webhook and its delivery log'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from webhooks" -f -a "test" -d 'Send a test delivery and wait for its first attempt'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from webhooks" -f -a "deliveries" -d 'A webhook\'s recent deliveries, newest first'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Which account, which server, where the token comes from, and whether it still works'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "token" -d 'Print an access token for the signed-in account (refreshed if needed), for scripts: `curl -H "Authorization: Bearer $(expense auth token)" …`'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "create" -d 'Create a token; its secret is printed once. Needs a signed-in session (not a token)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "ls" -d 'List your tokens (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke a token; it stops working everywhere within a minute'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "users" -d 'Manage accounts'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one setting of the active profile'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Change one setting of the active profile: api_url, default_currency'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "ls" -d 'Every setting of the active profile'
