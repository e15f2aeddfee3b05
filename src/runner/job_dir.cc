#include "runner/job_dir.h"

#include <fmt/format.h>

namespace omnicron::runner {

std::string safe_file_name(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (keep) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

std::filesystem::path job_dir(const std::filesystem::path& state_root, const JobId& job) {
  return state_root / "jobs" / safe_file_name(job.namespace_) / safe_file_name(job.name);
}

}  // namespace omnicron::runner
