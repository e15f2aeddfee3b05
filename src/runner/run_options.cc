#include "runner/run_options.h"

#include <algorithm>
#include <charconv>

#include "duration.h"

namespace omnicron::runner {

std::optional<OverlapPolicy> parse_overlap(std::string_view text) {
  if (text == "allow") return OverlapPolicy::allow;
  if (text == "skip") return OverlapPolicy::skip;
  if (text == "queue") return OverlapPolicy::queue;
  if (text == "replace") return OverlapPolicy::replace;
  return std::nullopt;
}

std::string_view to_string(OverlapPolicy policy) {
  switch (policy) {
    case OverlapPolicy::allow: return "allow";
    case OverlapPolicy::skip: return "skip";
    case OverlapPolicy::queue: return "queue";
    case OverlapPolicy::replace: return "replace";
  }
  return "allow";
}

std::optional<JobId> parse_job_id(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) {
    return std::nullopt;
  }
  if (text.find('/', slash + 1) != std::string_view::npos) return std::nullopt;
  return JobId{std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::uint64_t scale = 1;
  switch (text.back()) {
    case 'K': case 'k': scale = 1024; break;
    case 'M': case 'm': scale = 1024 * 1024; break;
    case 'G': case 'g': scale = 1024 * 1024 * 1024; break;
    default: break;
  }
  if (scale != 1) text.remove_suffix(1);
  // Ten digits keep the product inside 64 bits for every suffix.
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0) {
    return std::nullopt;
  }
  return value * scale;
}

std::optional<std::pair<std::string, std::string>> parse_env_assignment(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::nullopt;
  return std::pair{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
}

std::optional<UserFacts> find_account(std::string_view passwd_text, unsigned uid) {
  std::size_t begin = 0;
  while (begin < passwd_text.size()) {
    auto end = passwd_text.find('\n', begin);
    if (end == std::string_view::npos) end = passwd_text.size();
    const std::string_view line = passwd_text.substr(begin, end - begin);
    begin = end + 1;
    std::string_view fields[7];
    std::size_t count = 0;
    std::size_t from = 0;
    for (; count < 7; ++count) {
      const auto colon = line.find(':', from);
      fields[count] = line.substr(from, colon == std::string_view::npos ? line.npos : colon - from);
      if (colon == std::string_view::npos) break;
      from = colon + 1;
    }
    // Seven fields exactly; comments, blank lines and NIS "+" entries are not accounts.
    if (count != 6 || fields[0].empty() || fields[0].front() == '+' ||
        fields[0].front() == '-' || fields[0].front() == '#') {
      continue;
    }
    unsigned value = 0;
    const auto& text = fields[2];
    const auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || stop != text.data() + text.size() || text.empty() || value != uid) {
      continue;
    }
    UserFacts facts;
    facts.root = uid == 0;
    facts.name = std::string(fields[0]);
    facts.home = std::string(fields[5]);
    return facts;
  }
  return std::nullopt;
}

namespace {

void set(Environment& env, const std::string& name, const std::string& value) {
  for (auto& [k, v] : env) {
    if (k == name) {
      v = value;
      return;
    }
  }
  env.emplace_back(name, value);
}

void set_if_missing(Environment& env, const std::string& name, const std::string& value) {
  if (value.empty()) return;
  for (const auto& [k, v] : env) {
    if (k == name && !v.empty()) return;
  }
  set(env, name, value);
}

}  // namespace

Environment job_environment(const Environment& inherited, const UserFacts& user,
                            const Environment& overrides) {
  Environment env = inherited;
  // cron's PATH is /usr/bin:/bin, which misses /usr/local/bin, where most
  // hand-installed tools live, and root's sbin directories.
  set_if_missing(env, "PATH",
                 user.root ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
                           : "/usr/local/bin:/usr/bin:/bin");
  set_if_missing(env, "HOME", user.home);
  set_if_missing(env, "USER", user.name);
  set_if_missing(env, "LOGNAME", user.name);
  // Without LANG, programs fall back to the 7-bit "C" locale and mangle any
  // non-ASCII file name they print; C.UTF-8 exists on every glibc system.
  set_if_missing(env, "LANG", "C.UTF-8");
  for (const auto& [name, value] : overrides) set(env, name, value);
  return env;
}

std::vector<std::string> program_candidates(std::string_view program, std::string_view path) {
  if (program.find('/') != std::string_view::npos) return {std::string(program)};
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    auto end = path.find(':', begin);
    if (end == std::string_view::npos) end = path.size();
    std::string dir(path.substr(begin, end - begin));
    // An empty PATH entry means the current directory, as execvp(3) reads it.
    if (dir.empty()) dir = ".";
    out.push_back(dir + "/" + std::string(program));
    begin = end + 1;
  }
  return out;
}

namespace {

std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace

Environment windows_job_environment(const Environment& inherited, const Environment& overrides) {
  Environment env = inherited;
  for (const auto& [name, value] : overrides) {
    const std::string key = upper_ascii(name);
    bool replaced = false;
    for (auto& [k, v] : env) {
      if (upper_ascii(k) == key) {
        // The job's spelling wins, so the program sees the name it was given.
        k = name;
        v = value;
        replaced = true;
        break;
      }
    }
    if (!replaced) env.emplace_back(name, value);
  }
  // Windows documents the block as sorted case-insensitively by name; the
  // hidden per-drive "=C:" entries begin with '=' and so come first.
  std::stable_sort(env.begin(), env.end(), [](const auto& a, const auto& b) {
    return upper_ascii(a.first) < upper_ascii(b.first);
  });
  return env;
}

std::string windows_variable(const Environment& env, std::string_view name) {
  const std::string key = upper_ascii(name);
  for (const auto& [k, v] : env) {
    if (upper_ascii(k) == key) return v;
  }
  return {};
}

std::vector<std::string> windows_program_candidates(std::string_view program,
                                                    std::string_view path) {
  const auto slash = program.find_last_of("\\/:");
  const std::string_view base =
      slash == std::string_view::npos ? program : program.substr(slash + 1);
  const bool has_extension = base.find('.') != std::string_view::npos;
  std::vector<std::string> out;
  auto add = [&](const std::string& candidate) {
    if (!has_extension) out.push_back(candidate + ".exe");
    out.push_back(candidate);
  };
  if (slash != std::string_view::npos) {
    add(std::string(program));
    return out;
  }
  std::size_t begin = 0;
  while (begin <= path.size()) {
    auto end = path.find(';', begin);
    if (end == std::string_view::npos) end = path.size();
    std::string dir(path.substr(begin, end - begin));
    begin = end + 1;
    if (dir.empty()) continue;
    if (dir.back() != '\\' && dir.back() != '/') dir += '\\';
    add(dir + std::string(program));
  }
  return out;
}

std::optional<std::chrono::milliseconds> parse_runner_duration(std::string_view text) {
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    const auto digits = text.substr(0, text.size() - 2);
    if (digits.size() > 12) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value < 0) {
      return std::nullopt;
    }
    return std::chrono::milliseconds(value);
  }
  auto seconds = parse_duration(text);
  if (!seconds) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*seconds);
}

}  // namespace omnicron::runner
