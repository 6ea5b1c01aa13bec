# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_expense_global_optspecs
    string join \n api-url= profile= insecure h/help V/version
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
complete -c expense -n "__fish_expense_needs_command" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_needs_command" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_needs_command" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_needs_command" -f -a "register" -d 'Create an account and sign in'
complete -c expense -n "__fish_expense_needs_command" -f -a "login" -d 'Sign in'
complete -c expense -n "__fish_expense_needs_command" -f -a "logout" -d 'Sign out: end the session on the server and forget its tokens here'
complete -c expense -n "__fish_expense_needs_command" -f -a "whoami" -d 'Show the signed-in account'
complete -c expense -n "__fish_expense_needs_command" -f -a "auth" -d 'Sign-in status and tokens'
complete -c expense -n "__fish_expense_needs_command" -f -a "token" -d 'Personal access tokens for scripts and CI'
complete -c expense -n "__fish_expense_needs_command" -f -a "admin" -d 'Administration (admins only)'
complete -c expense -n "__fish_expense_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c expense -n "__fish_expense_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c expense -n "__fish_expense_using_subcommand register" -l password-stdin -d 'Read the password from standard input (for scripts), instead of prompting'
complete -c expense -n "__fish_expense_using_subcommand register" -l insecure-storage -d 'Keep the tokens in a 0600 file in the config directory instead of the OS keyring'
complete -c expense -n "__fish_expense_using_subcommand register" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand register" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand login" -l email -d 'E-mail address (prompted for on a terminal when left out)' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand login" -l password-stdin -d 'Read the password from standard input (for scripts), instead of prompting'
complete -c expense -n "__fish_expense_using_subcommand login" -l insecure-storage -d 'Keep the tokens in a 0600 file in the config directory instead of the OS keyring'
complete -c expense -n "__fish_expense_using_subcommand login" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand login" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand login" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand logout" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand logout" -l profile -d 'Profile to use' -r
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
complete -c expense -n "__fish_expense_using_subcommand whoami" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and not __fish_seen_subcommand_from status token help" -l profile -d 'Profile to use' -r
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
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "status" -d 'Which account, which server, where the token comes from, and whether it still works'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "token" -d 'Print an access token for the signed-in account (refreshed if needed), for scripts: `curl -H "Authorization: Bearer $(expense auth token)" …`'
complete -c expense -n "__fish_expense_using_subcommand auth; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand token; and not __fish_seen_subcommand_from create ls revoke help" -l profile -d 'Profile to use' -r
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
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a token; its secret is printed once. Needs a signed-in session (not a token)'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List your tokens (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a token; it stops working everywhere within a minute'
complete -c expense -n "__fish_expense_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -f -a "users" -d 'Manage accounts'
complete -c expense -n "__fish_expense_using_subcommand admin; and not __fish_seen_subcommand_from users help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "ls" -d 'List accounts in creation order'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "disable" -d 'Disable an account: its sessions end and its tokens stop working'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "enable" -d 'Re-enable a disabled account'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from users" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "users" -d 'Manage accounts'
complete -c expense -n "__fish_expense_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand completions" -l api-url -d 'Server to talk to [env: EXPENSE_API_URL] [default: the profile\'s, else http://127.0.0.1:8080]' -r
complete -c expense -n "__fish_expense_using_subcommand completions" -l profile -d 'Profile to use' -r
complete -c expense -n "__fish_expense_using_subcommand completions" -l insecure -d 'Allow plain http:// to a host that is not this machine'
complete -c expense -n "__fish_expense_using_subcommand completions" -s h -l help -d 'Print help'
complete -c expense -n "__fish_expense_using_subcommand completions" -s V -l version -d 'Print version'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "register" -d 'Create an account and sign in'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "login" -d 'Sign in'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "logout" -d 'Sign out: end the session on the server and forget its tokens here'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "whoami" -d 'Show the signed-in account'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "auth" -d 'Sign-in status and tokens'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "token" -d 'Personal access tokens for scripts and CI'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "admin" -d 'Administration (admins only)'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c expense -n "__fish_expense_using_subcommand help; and not __fish_seen_subcommand_from register login logout whoami auth token admin completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "status" -d 'Which account, which server, where the token comes from, and whether it still works'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from auth" -f -a "token" -d 'Print an access token for the signed-in account (refreshed if needed), for scripts: `curl -H "Authorization: Bearer $(expense auth token)" …`'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "create" -d 'Create a token; its secret is printed once. Needs a signed-in session (not a token)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "ls" -d 'List your tokens (never their secrets)'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke a token; it stops working everywhere within a minute'
complete -c expense -n "__fish_expense_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "users" -d 'Manage accounts'
