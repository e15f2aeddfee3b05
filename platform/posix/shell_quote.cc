#include "posix/shell_quote.h"

namespace omnicron::posix {

namespace {

bool is_plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
         c == '/' || c == ',' || c == ':' || c == '+' || c == '@' || c == '%';
}

}  // namespace

std::string sh_quote(std::string_view word) {
  bool plain = !word.empty();
  for (char c : word) plain = plain && is_plain(c);
  // A leading '~' or '=' could still expand; is_plain() excludes both.
  if (plain) return std::string(word);
  std::string out = "'";
  for (char c : word) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

std::string sh_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& word : argv) {
    if (!out.empty()) out += ' ';
    out += sh_quote(word);
  }
  return out;
}

std::string crontab_escape(std::string_view command) {
  std::string out;
  out.reserve(command.size());
  for (char c : command) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '%')
      out += "\\%";
    else
      out += c;
  }
  return out;
}

}  // namespace omnicron::posix
