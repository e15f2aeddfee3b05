#include "cli/runner_state.h"

#include <cstdlib>

#include "file_path.h"
#if defined(_WIN32)
#include "windows/system.h"
#else
#include "posix/state_dir.h"
#endif

namespace omnicron::cli {

std::filesystem::path runner_state_root(const std::string& option) {
  if (!option.empty()) return file_path(option);
#if defined(_WIN32)
  // Windows' own wide environment: getenv (and msvcrt's _wgetenv, which is
  // built from it) give the ANSI code page's version.
  const auto from_env = windows::environment_variable(L"OMNICRON_STATE_DIR");
  if (from_env && !from_env->empty()) return std::filesystem::path(*from_env);
  return windows::state_dir();
#else
  const char* from_env = std::getenv("OMNICRON_STATE_DIR");
  if (from_env && *from_env) return from_env;
  return posix::default_state_dir();
#endif
}

}  // namespace omnicron::cli
