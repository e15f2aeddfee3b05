#pragma once

#include <string_view>

#include "error.h"

namespace omnicron::posix {

// The one place where errno becomes omnicron's error, so every message reads
// "what was attempted: object: OS reason (code N)".
Error os_error(std::string_view attempted, std::string_view object, int err);

}  // namespace omnicron::posix
