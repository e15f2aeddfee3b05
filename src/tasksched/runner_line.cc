#include "tasksched/runner_line.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "duration.h"
#include "runner/run_options.h"

namespace omnicron::tasksched {

namespace {

std::optional<Overlap> overlap_of(std::string_view text) {
  const auto policy = runner::parse_overlap(text);
  if (!policy) return std::nullopt;
  switch (*policy) {
    case runner::OverlapPolicy::allow: return Overlap::allow;
    case runner::OverlapPolicy::skip: return Overlap::skip;
    case runner::OverlapPolicy::queue: return Overlap::queue;
    case runner::OverlapPolicy::replace: return Overlap::replace;
  }
  return std::nullopt;
}

}  // namespace

std::variant<RunnerLine, std::string> read_runner_arguments(const std::vector<std::string>& words) {
  if (words.empty() || words.front() != "exec") return std::string("the runner line does not start with 'exec'");
  RunnerLine line;
  std::size_t i = 1;
  bool saw_separator = false;
  while (i < words.size()) {
    const std::string option = words[i];
    if (option == "--") {
      ++i;
      saw_separator = true;
      break;
    }
    if (option == "--require-ac-power" || option == "--require-network") {
      (option == "--require-ac-power" ? line.conditions.ac_power : line.conditions.network) = true;
      ++i;
      continue;
    }
    static const std::vector<std::string> kWithValue = {
        "--job", "--cwd", "--env", "--log", "--timeout", "--overlap", "--retries",
        "--retry-delay", "--require-idle", "--random-delay"};
    if (std::find(kWithValue.begin(), kWithValue.end(), option) == kWithValue.end())
      return fmt::format("the runner option '{}' is not one omnicron writes", option);
    // The option's value is the next word.
    if (i + 1 >= words.size()) return fmt::format("'{}' has no value", option);
    const std::string text = words[i + 1];
    i += 2;
    if (option == "--job") {
      if (!runner::parse_job_id(text)) return fmt::format("'--job {}' is not NAMESPACE/NAME", text);
      line.job = text;
    } else if (option == "--cwd") {
      line.settings.working_dir = text;
    } else if (option == "--env") {
      auto pair = runner::parse_env_assignment(text);
      if (!pair) return fmt::format("'--env {}' is not NAME=VALUE", text);
      line.settings.env[pair->first] = pair->second;
    } else if (option == "--log") {
      line.settings.log = text;
    } else if (option == "--overlap") {
      line.settings.overlap = overlap_of(text);
      if (!line.settings.overlap) return fmt::format("'--overlap {}' is unknown", text);
    } else if (option == "--retries") {
      int count = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() || count < 0)
        return fmt::format("'--retries {}' is not a count", text);
      Retries r = line.settings.retries.value_or(Retries{});
      r.count = count;
      line.settings.retries = r;
    } else {
      const auto d = parse_duration(text);
      if (!d) return fmt::format("'{} {}' is not a duration", option, text);
      if (option == "--timeout") {
        line.settings.timeout = d;
      } else if (option == "--retry-delay") {
        Retries r = line.settings.retries.value_or(Retries{});
        r.delay = *d;
        line.settings.retries = r;
      } else if (option == "--require-idle") {
        line.conditions.idle = d;
      } else {
        line.settings.random_delay = d;
      }
    }
  }
  if (line.job.empty()) return std::string("the runner line has no '--job'");
  if (!saw_separator || i >= words.size()) return std::string("the runner line names no program after '--'");
  line.argv.assign(words.begin() + static_cast<std::ptrdiff_t>(i), words.end());
  return line;
}

}  // namespace omnicron::tasksched
