#include "error.h"

#include <fmt/format.h>

namespace omnicron {

std::string SourceLocation::to_string() const {
  if (line <= 0) return file;
  if (column <= 0) return fmt::format("{}:{}", file, line);
  return fmt::format("{}:{}:{}", file, line, column);
}

int exit_code_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage:
    case ErrorKind::manifest:
    case ErrorKind::validation:
      return 2;
    case ErrorKind::backend:
    case ErrorKind::io:
    case ErrorKind::internal:
      return 1;
  }
  return 1;
}

Error::Error(ErrorKind kind, std::string message)
    : kind_(kind), message_(std::move(message)) {
  refresh_text();
}

Error& Error::at(SourceLocation where) {
  where_ = std::move(where);
  refresh_text();
  return *this;
}

Error& Error::with_native(long long code, std::string system_text) {
  native_code_ = code;
  native_text_ = std::move(system_text);
  refresh_text();
  return *this;
}

Error& Error::with_context(std::string what_was_attempted) {
  context_.push_back(std::move(what_was_attempted));
  refresh_text();
  return *this;
}

const char* Error::what() const noexcept { return text_.c_str(); }

void Error::refresh_text() {
  text_.clear();
  if (where_ && !where_->file.empty()) text_ = where_->to_string() + ": ";
  text_ += message_;
  if (native_code_) {
    text_ += native_text_.empty()
                 ? fmt::format(" (code {})", *native_code_)
                 : fmt::format(": {} (code {})", native_text_, *native_code_);
  }
  for (const auto& c : context_) text_ += "\n  " + c;
}

}  // namespace omnicron
