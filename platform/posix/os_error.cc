#include "posix/os_error.h"

#include <cstring>
#include <string>

namespace omnicron::posix {

Error os_error(std::string_view attempted, std::string_view object, int err) {
  std::string message(attempted);
  if (!object.empty()) message += ": " + std::string(object);
  // strerror is not thread-safe in general, but glibc's returns a pointer to
  // a constant table entry for every known errno, which is all we pass.
  Error error(ErrorKind::io, std::move(message));
  error.with_native(err, std::strerror(err));
  return error;
}

}  // namespace omnicron::posix
