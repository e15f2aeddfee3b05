#include "diagnostic.h"

#include <algorithm>

#include <fmt/format.h>

namespace omnicron {

void Diagnostics::error(SourceLocation where, std::string field,
                        std::string message, std::string hint) {
  items_.push_back({Severity::error, std::move(where), std::move(field),
                    std::move(message), std::move(hint)});
}

void Diagnostics::warning(SourceLocation where, std::string field,
                          std::string message, std::string hint) {
  items_.push_back({Severity::warning, std::move(where), std::move(field),
                    std::move(message), std::move(hint)});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
        return d.severity == Severity::error;
      }));
}

namespace {

// Returns line `number` (1-based) of `text` without its line ending, or
// nothing when the text has fewer lines.
bool find_line(std::string_view text, int number, std::string_view* line) {
  std::size_t start = 0;
  for (int i = 1; i < number; ++i) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return false;
    start = nl + 1;
  }
  if (start > text.size()) return false;
  std::size_t end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  if (end > start && text[end - 1] == '\r') --end;
  *line = text.substr(start, end - start);
  return true;
}

}  // namespace

std::string render(const Diagnostic& d, std::string_view source) {
  std::string out = d.where.to_string();
  if (!out.empty()) out += ": ";
  out += d.severity == Severity::error ? "error: " : "warning: ";
  if (!d.field.empty()) out += d.field + ": ";
  out += d.message;
  out += '\n';
  std::string_view line;
  if (d.where.line > 0 && find_line(source, d.where.line, &line)) {
    out += "    ";
    out += line;
    out += '\n';
    if (d.where.column > 0) {
      // Tabs are kept in the caret line so the caret lines up with the
      // source as a terminal shows it.
      std::string pad;
      const auto caret = static_cast<std::size_t>(d.where.column - 1);
      for (std::size_t i = 0; i < caret && i < line.size(); ++i)
        pad += line[i] == '\t' ? '\t' : ' ';
      out += "    " + pad + "^\n";
    }
  }
  if (!d.hint.empty()) out += "  " + d.hint + "\n";
  return out;
}

}  // namespace omnicron
