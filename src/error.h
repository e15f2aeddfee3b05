#pragma once

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "source_location.h"

namespace omnicron {

// What went wrong, in the terms that decide the exit code. DESIGN.md: 0
// success, 1 failure while talking to the system, 2 bad usage or an invalid
// manifest.
enum class ErrorKind { usage, manifest, validation, backend, io, internal };

int exit_code_for(ErrorKind kind);

// The one error type of omnicron. Thrown inside, caught once in main.
// Context is added while unwinding ("while rendering job 'backup'") so the
// operator sees the whole chain of what was being attempted.
class Error : public std::exception {
 public:
  Error(ErrorKind kind, std::string message);

  Error& at(SourceLocation where);
  // A native code (errno, HRESULT, exit status) and the system's own text.
  Error& with_native(long long code, std::string system_text);
  Error& with_context(std::string what_was_attempted);

  ErrorKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const std::optional<SourceLocation>& where() const { return where_; }
  const std::vector<std::string>& context() const { return context_; }
  int exit_code() const { return exit_code_for(kind_); }

  // The whole text: "file:line:col: message (native) \n  while ...".
  const char* what() const noexcept override;

 private:
  void refresh_text();

  ErrorKind kind_;
  std::string message_;
  std::optional<SourceLocation> where_;
  std::optional<long long> native_code_;
  std::string native_text_;
  std::vector<std::string> context_;
  std::string text_;
};

}  // namespace omnicron
