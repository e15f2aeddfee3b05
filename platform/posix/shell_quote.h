#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace omnicron::posix {

// Quotes one word for /bin/sh so the shell passes it through unchanged.
// Words made only of characters the shell never treats specially are left
// bare; everything else goes in single quotes, with each ' written as '\''.
std::string sh_quote(std::string_view word);

// Quotes every word and joins them with spaces.
std::string sh_join(const std::vector<std::string>& argv);

// Escapes a /bin/sh command line for the command part of a crontab line.
// Debian's cron ends the command at the first unescaped '%' (the rest becomes
// stdin) and strips one backslash before '%'; quotes do not protect it. The
// rule that round-trips on the real daemon (cron-facts.md): double every
// backslash, then write every '%' as '\%'.
std::string crontab_escape(std::string_view command);

}  // namespace omnicron::posix
