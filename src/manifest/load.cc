#include "manifest/load.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <yaml-cpp/exceptions.h>

#include "duration.h"
#include "error.h"
#include "manifest/suggest.h"
#include "manifest/yaml_node.h"
#include "manifest/yaml_stream.h"
#include "manifest/yaml_text.h"

namespace omnicron {

namespace {

using detail::closest;
using detail::describe;
using detail::join;
using detail::ScalarKind;
using detail::YamlNode;
using detail::scalar_kind;

constexpr std::string_view kNamePattern = "[a-z0-9][a-z0-9._-]*";

// Every setting a job may have, in the order DESIGN.md lists them; the
// scopes below allow subsets of it.
const std::vector<std::string_view> kJobKeys = {
    "description", "schedule", "command",  "shell",      "working_dir", "env",
    "log",         "timeout",  "overlap",  "retries",    "enabled",     "missed",
    "conditions",  "run_as",   "random_delay", "timezone", "posix",     "windows",
    "platforms"};
const std::vector<std::string_view> kTopKeys = {"version", "namespace", "defaults", "jobs"};
const std::vector<std::string_view> kScheduleKeys = {"every", "at", "days", "on"};
const std::vector<std::string_view> kRetriesKeys = {"count", "delay"};
const std::vector<std::string_view> kConditionsKeys = {"ac_power", "network", "idle"};
const std::vector<std::string_view> kOverlapValues = {"allow", "skip", "queue", "replace"};
const std::vector<std::string_view> kMissedValues = {"skip", "run"};
const std::vector<std::string_view> kPlatformValues = {"posix", "windows"};
const std::vector<std::string_view> kOnValues = {"boot", "logon"};
const std::vector<std::string_view> kDayNames = {"sun", "mon", "tue", "wed", "thu",
                                                 "fri", "sat", "weekdays", "weekends"};

// Names people reach for from other schedulers; edit distance alone would
// not find them.
const std::map<std::string_view, std::string_view> kKeyAliases = {
    {"cmd", "command"},       {"args", "command"},      {"argv", "command"},
    {"exec", "command"},      {"run", "command"},       {"script", "shell"},
    {"cron", "schedule"},     {"when", "schedule"},     {"cwd", "working_dir"},
    {"workdir", "working_dir"}, {"dir", "working_dir"}, {"directory", "working_dir"},
    {"environment", "env"},   {"user", "run_as"},       {"tz", "timezone"},
    {"retry", "retries"},     {"jitter", "random_delay"}, {"concurrency", "overlap"},
    {"platform", "platforms"}, {"os", "platforms"},     {"logfile", "log"},
    {"output", "log"},        {"disabled", "enabled"}};

// Where a map of job settings sits, which decides the keys it may hold.
enum class Scope { defaults, defaults_overlay, job, job_overlay };

bool allowed_in(std::string_view key, Scope scope) {
  const bool overlay = scope == Scope::defaults_overlay || scope == Scope::job_overlay;
  const bool defaults = scope == Scope::defaults || scope == Scope::defaults_overlay;
  if (key == "platforms") return scope == Scope::job;
  if (key == "posix" || key == "windows") return !overlay;
  if (key == "schedule" || key == "command" || key == "shell") return !defaults;
  return std::find(kJobKeys.begin(), kJobKeys.end(), key) != kJobKeys.end();
}

std::vector<std::string_view> keys_of(Scope scope) {
  std::vector<std::string_view> out;
  for (std::string_view k : kJobKeys)
    if (allowed_in(k, scope)) out.push_back(k);
  return out;
}

std::string join_path(const std::string& path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out;
  out.reserve(path.size() + 1 + key.size());
  out.append(path).append(1, '.').append(key);
  return out;
}

// [a-z0-9][a-z0-9._-]*, checked by hand: every job name comes through here,
// and std::regex is slow enough to show in the load of a big manifest.
bool is_name(std::string_view s) {
  auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (s.empty() || !lower_or_digit(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) {
    return lower_or_digit(c) || c == '.' || c == '_' || c == '-';
  });
}

// [A-Za-z_][A-Za-z0-9_]*: what a shell takes as a variable name.
bool is_env_name(std::string_view s) {
  auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (s.empty() || !alpha(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [&](char c) { return alpha(c) || (c >= '0' && c <= '9'); });
}

// Lower-cases a would-be name and turns what a name cannot hold into '-',
// for the hint under a bad job name or namespace.
std::string to_name(std::string_view s) {
  std::string out;
  for (char c : s) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.' || l == '_' || l == '-';
    out += ok ? l : '-';
  }
  while (!out.empty() && !((out[0] >= 'a' && out[0] <= 'z') || (out[0] >= '0' && out[0] <= '9')))
    out.erase(0, 1);
  return is_name(out) ? out : std::string();
}

bool is_posix_absolute(std::string_view p) { return !p.empty() && p[0] == '/'; }

bool is_windows_absolute(std::string_view p) {
  if (p.size() >= 3 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':' &&
      (p[2] == '\\' || p[2] == '/'))
    return true;
  // A UNC path: \\server\share...
  return p.size() >= 4 && p[0] == '\\' && p[1] == '\\' && p[2] != '\\' &&
         p.find('\\', 2) != std::string_view::npos;
}

// A key of a YAML map with its value, and where both were written.
struct Entry {
  std::string key;
  const YamlNode* value;
  SourceLocation key_where;
  // The value's place, or the key's when the value is empty (yaml-cpp marks
  // an empty value at the next token, often on the following line).
  SourceLocation where;
  std::string field;  // the dotted path of the value
};

// A node with its place and dotted path, for values inside lists.
struct Value {
  const YamlNode* node;
  SourceLocation where;
  std::string field;
};

Value value_of(const Entry& e) { return {e.value, e.where, e.field}; }

// Where a settings map writes what it reads.
struct Target {
  JobSettings* settings;
  std::map<std::string, SourceLocation>* locations;
  std::string rel;  // "" or "windows." / "posix.": the prefix in `locations`
  Scope scope;
  std::optional<Platform> platform;  // set inside an overlay
};

class Loader {
 public:
  Loader(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  LoadResult run();

 private:
  SourceLocation at(const YAML::Mark& m) const {
    return {file_, m.line + 1, m.column + 1};
  }
  SourceLocation at(const YamlNode& n) const { return at(n.mark); }

  void error(SourceLocation where, std::string field, std::string message,
             std::string hint = {}) {
    diags_.push_back({Severity::error, std::move(where), std::move(field),
                      std::move(message), std::move(hint)});
  }
  void warning(SourceLocation where, std::string field, std::string message,
               std::string hint = {}) {
    diags_.push_back({Severity::warning, std::move(where), std::move(field),
                      std::move(message), std::move(hint)});
  }

  bool load_documents(const YamlNode** root);
  void yaml_error(const YAML::Mark& mark, const std::string& message);
  void read_top(const YamlNode& root);
  void read_version(const Entry& e);
  void read_namespace(const Entry& e);
  void default_namespace();
  void read_defaults(const Entry& e);
  void read_jobs(const Entry& e);
  void read_job(const Entry& e);
  void check_job_complete(const Job& job, const Entry& e);

  std::vector<Entry> entries(const YamlNode& map, const std::string& path,
                             std::string_view what = "key");
  bool expect_map(const Value& v, std::string_view what);
  void unknown_key(const Entry& e, const std::vector<std::string_view>& allowed,
                   std::string hint = {});

  void read_settings(const Value& v, Target t, Job* job);
  void read_setting(const Entry& e, Target& t, Job* job);

  std::optional<std::string> read_string(const Value& v, std::string_view expected = "a string");
  std::optional<std::string> read_line(const Value& v, std::string_view expected = "a string");
  std::optional<std::string> read_text(const Value& v);
  std::optional<bool> read_bool(const Value& v);
  std::optional<std::chrono::seconds> read_duration(const Value& v, bool positive);
  std::optional<std::string> read_choice(const Value& v, std::string_view what,
                                         const std::vector<std::string_view>& allowed);
  std::optional<std::string> read_path(const Value& v, const Target& t, bool is_log);
  std::optional<Command> read_command(const Value& v);
  std::optional<std::map<std::string, std::string>> read_env(const Value& v, Target& t);
  std::optional<Retries> read_retries(const Value& v, Target& t);
  std::optional<int> read_count(const Value& v);
  std::optional<Conditions> read_conditions(const Value& v, Target& t);
  std::optional<std::set<Platform>> read_platforms(const Value& v);

  std::optional<Schedule> read_schedule(const Value& v);
  std::optional<ScheduleItem> read_schedule_item(const Value& v);
  std::optional<ScheduleItem> read_cron_item(const Value& v);
  std::optional<ScheduleItem> read_structured_item(const Value& v);
  std::optional<std::vector<TimeOfDay>> read_times(const Value& v);
  std::optional<std::vector<int>> read_days(const Value& v);

  std::string_view text_;
  const std::string& file_;
  Manifest manifest_;
  std::vector<Diagnostic> diags_;
  std::shared_ptr<const void> tree_;  // the nodes of the YAML document
};

// ---------------------------------------------------------------------------
// The document.

LoadResult Loader::run() {
  manifest_.file = file_;
  const YamlNode* root = nullptr;
  if (load_documents(&root)) read_top(*root);
  // Diagnostics are found by walking the tree, but a job's missing command
  // is noticed only after its keys: sorting puts them all in file order.
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
  });
  LoadResult result;
  for (auto& d : diags_) result.diagnostics.add(std::move(d));
  result.manifest = std::move(manifest_);
  result.yaml_tree = std::move(tree_);
  return result;
}

void Loader::yaml_error(const YAML::Mark& mark, const std::string& message) {
  SourceLocation where{file_, mark.line >= 0 ? mark.line + 1 : 0,
                       mark.column >= 0 ? mark.column + 1 : 0};
  // yaml-cpp says "illegal map value" or "end of map not found" where the
  // cause is a tab in the indentation; find the first such line up to the
  // error and name it.
  std::string hint;
  int line = 1;
  bool at_line_start = true;
  for (char c : text_) {
    if (where.line > 0 && line > where.line) break;
    if (c == '\n') {
      ++line;
      at_line_start = true;
    } else if (at_line_start && c == '\t') {
      hint = fmt::format("line {} is indented with a tab; YAML allows only spaces for indentation", line);
      break;
    } else if (c != ' ') {
      at_line_start = false;
    }
  }
  // yaml-cpp reports an unclosed bracket where it gave up, often the end
  // of the file, so say what to look for.
  if (hint.empty() && message == "end of sequence flow not found")
    hint = "a '[' list is not closed with ']'";
  if (hint.empty() && message == "end of map flow not found")
    hint = "a '{' map is not closed with '}'";
  error(where, "", fmt::format("not valid YAML: {}", message), hint);
}

// Parses the text into one YAML document; false when there is nothing to
// walk (the problem has been reported).
bool Loader::load_documents(const YamlNode** root) {
  if (std::size_t nul = text_.find('\0'); nul != std::string_view::npos) {
    // yaml-cpp reads a NUL byte as the end of a token and carries on, which
    // would report nonsense further down.
    std::size_t line_start = text_.rfind('\n', nul);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    auto line = std::count(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(nul), '\n');
    error({file_, static_cast<int>(line) + 1, static_cast<int>(nul - line_start) + 1}, "",
          "the file contains a NUL byte; a manifest is YAML text", "is this a binary file?");
    return false;
  }
  // One pass builds the first document and counts the rest: a manifest is
  // one document, and what follows it must be reported, not silently lost.
  detail::YamlStream stream;
  try {
    stream = detail::parse_yaml_stream(text_);
  } catch (const YAML::Exception& e) {
    yaml_error(e.mark, e.msg);
    return false;
  }
  if (stream.stuck) {
    const YAML::Mark& m = *stream.stuck;
    std::size_t pos = static_cast<std::size_t>(m.pos);
    yaml_error(m, pos < text_.size() ? fmt::format("unexpected '{}'", text_[pos])
                                     : std::string("unexpected text"));
    return false;
  }
  tree_ = stream.nodes;
  *root = stream.first;
  std::vector<const detail::YamlStream::Document*> present;
  for (const auto& d : stream.documents)
    if (!d.null) present.push_back(&d);
  if (present.empty()) {
    error({file_, 0, 0}, "", "file is empty; a manifest needs at least 'version: 1' and 'jobs:'");
    return false;
  }
  const YamlNode& first = **root;
  if (present.size() > 1 || first.is_null()) {
    // With an empty document first, the first root is that empty one;
    // either way the stream holds more than the single document a manifest
    // is.
    const YAML::Mark& second = first.is_null() ? present[0]->root : present[1]->root;
    error(at(second), "", "a manifest is one YAML document, but a second one starts here",
          "remove the '---' line; to keep sets of jobs apart, give each its own file and namespace");
    if (first.is_null()) return false;
  }
  if (!first.is_map()) {
    error(at(first), "",
          fmt::format("expected a map with 'version' and 'jobs' at the top level, found {}",
                      describe(first)),
          "a manifest starts with 'version: 1' followed by 'jobs:'");
    return false;
  }
  return true;
}

std::vector<Entry> Loader::entries(const YamlNode& map, const std::string& path,
                                   std::string_view what) {
  std::vector<Entry> out;
  out.reserve(map.pairs.size());
  // Where each key was first written, to report duplicates. Most maps have a
  // handful of keys, where a scan of those before is cheaper than building
  // a std::map for every job; `jobs:` itself gets the map.
  constexpr std::size_t kScanned = 16;
  std::map<std::string_view, int> first_line;
  auto first_of = [&](std::string_view key, int line) -> std::optional<int> {
    if (map.pairs.size() > kScanned) {
      auto [first, inserted] = first_line.emplace(key, line);
      if (inserted) return std::nullopt;
      return first->second;
    }
    for (const Entry& before : out)
      if (before.key == key) return before.key_where.line;
    return std::nullopt;
  };
  for (const auto& [key_node, value] : map.pairs) {
    const YamlNode& key = *key_node;
    Entry e;
    e.key_where = at(key);
    if (!key.is_scalar()) {
      error(e.key_where, path, fmt::format("expected a key name, found {}", describe(key)));
      continue;
    }
    e.key = key.scalar;
    e.value = value;
    e.where = e.value->is_null() ? e.key_where : at(*e.value);
    // A block map or list is marked at its first item, on a later line;
    // its key is where a reader looks for it.
    if ((e.value->is_map() || e.value->is_sequence()) && e.where.line > e.key_where.line)
      e.where = e.key_where;
    e.field = join_path(path, e.key);
    if (e.key == "<<" && key.tag == "?") {
      error(e.key_where, path, "merge keys ('<<') are not supported",
            "put settings shared by every job under 'defaults:'");
      continue;
    }
    // yaml-cpp keeps every pair of a map, duplicates included, where most
    // YAML readers silently keep the last one: report the second.
    if (const std::optional<int> first = first_of(key.scalar, e.key_where.line)) {
      error(e.key_where, e.field,
            fmt::format("duplicate {} '{}'; first defined at line {}", what, e.key, *first));
      if (what != "job") continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

bool Loader::expect_map(const Value& v, std::string_view what) {
  if (v.node->is_map()) return true;
  error(v.where, v.field, fmt::format("expected {}, found {}", what, describe(*v.node)));
  return false;
}

void Loader::unknown_key(const Entry& e, const std::vector<std::string_view>& allowed,
                         std::string hint) {
  if (hint.empty()) {
    std::string guess = closest(e.key, allowed);
    if (guess.empty()) {
      auto alias = kKeyAliases.find(e.key);
      if (alias != kKeyAliases.end() &&
          std::find(allowed.begin(), allowed.end(), alias->second) != allowed.end())
        guess = alias->second;
    }
    hint = guess.empty() ? fmt::format("allowed keys: {}", join(allowed))
                         : fmt::format("did you mean '{}'?", guess);
  }
  error(e.key_where, e.field, fmt::format("unknown key '{}'", e.key), std::move(hint));
}

void Loader::read_top(const YamlNode& root) {
  bool has_version = false, has_jobs = false, has_namespace = false;
  for (const Entry& e : entries(root, "")) {
    if (e.key == "version") {
      has_version = true;
      read_version(e);
    } else if (e.key == "namespace") {
      has_namespace = true;
      read_namespace(e);
    } else if (e.key == "defaults") {
      read_defaults(e);
    } else if (e.key == "jobs") {
      has_jobs = true;
      read_jobs(e);
    } else if (std::find(kJobKeys.begin(), kJobKeys.end(), e.key) != kJobKeys.end()) {
      unknown_key(e, kTopKeys, "settings shared by every job go under 'defaults:'");
    } else if (e.value->is_map() && (e.value->find("schedule") || e.value->find("command") || e.value->find("shell"))) {
      unknown_key(e, kTopKeys, fmt::format("if '{}' is a job, indent it under 'jobs:'", e.key));
    } else {
      unknown_key(e, kTopKeys);
    }
  }
  SourceLocation top = at(root);
  if (!has_version)
    error(top, "version", "missing 'version'; this omnicron reads format version 1",
          "add 'version: 1' at the top of the file");
  if (!has_jobs)
    error(top, "jobs", "missing 'jobs'; a manifest lists its jobs under 'jobs:'",
          "add 'jobs:' with one entry per job, or 'jobs: {}' for none");
  if (!has_namespace) default_namespace();
}

void Loader::read_version(const Entry& e) {
  Value v = value_of(e);
  if (!v.node->is_scalar() || scalar_kind(*v.node) != ScalarKind::integer) {
    error(v.where, v.field, fmt::format("expected the number 1, found {}", describe(*v.node)),
          "write 'version: 1'");
    return;
  }
  if (v.node->scalar != "1") {
    error(v.where, v.field,
          fmt::format("unsupported format version {}; this omnicron reads version 1", v.node->scalar),
          "a newer omnicron may read this file");
    return;
  }
  manifest_.version = 1;
}

void Loader::read_namespace(const Entry& e) {
  auto name = read_string(value_of(e), "a name");
  if (!name) return;
  if (!is_name(*name)) {
    std::string suggestion = to_name(*name);
    error(e.where, e.field,
          fmt::format("'{}' is not a valid namespace; names are lower-case letters, digits, '.', "
                      "'_' and '-', starting with a letter or digit ({})",
                      *name, kNamePattern),
          suggestion.empty() ? std::string() : fmt::format("did you mean '{}'?", suggestion));
    return;
  }
  manifest_.namespace_ = *name;
}

void Loader::default_namespace() {
  std::string_view stem = file_;
  if (std::size_t slash = stem.find_last_of("/\\"); slash != std::string_view::npos)
    stem.remove_prefix(slash + 1);
  if (std::size_t dot = stem.rfind('.'); dot != std::string_view::npos && dot > 0)
    stem = stem.substr(0, dot);
  if (is_name(stem)) {
    manifest_.namespace_ = std::string(stem);
    return;
  }
  std::string suggestion = to_name(stem);
  error({file_, 0, 0}, "namespace",
        fmt::format("the file name gives the namespace '{}', which is not a valid name ({})",
                    stem, kNamePattern),
        fmt::format("set it at the top of the file, e.g. 'namespace: {}'",
                    suggestion.empty() ? "my-jobs" : suggestion));
}

void Loader::read_defaults(const Entry& e) {
  Target t{&manifest_.defaults, &manifest_.defaults_field_locations, "", Scope::defaults, {}};
  read_settings(value_of(e), t, nullptr);
}

void Loader::read_jobs(const Entry& e) {
  Value v = value_of(e);
  if (v.node->is_sequence()) {
    error(v.where, v.field, "expected a map of job name to settings, found a list",
          "write each job as its name followed by ':' and its settings, not as a '- ' item");
    return;
  }
  if (!expect_map(v, "a map of job name to settings")) return;
  manifest_.jobs.reserve(manifest_.jobs.size() + v.node->size());
  for (const Entry& job : entries(*v.node, "jobs", "job")) read_job(job);
}

void Loader::read_job(const Entry& e) {
  Job job;
  job.name = e.key;
  job.where = e.key_where;
  if (!is_name(e.key)) {
    std::string suggestion = to_name(e.key);
    error(e.key_where, e.field,
          fmt::format("'{}' is not a valid job name; names are lower-case letters, digits, '.', "
                      "'_' and '-', starting with a letter or digit ({})",
                      e.key, kNamePattern),
          suggestion.empty() ? std::string() : fmt::format("did you mean '{}'?", suggestion));
  }
  if (e.value->is_null()) {
    error(e.key_where, e.field,
          fmt::format("job '{}' has no settings; it needs at least 'schedule' and 'command' (or 'shell')",
                      e.key));
    return;
  }
  if (!expect_map(value_of(e), "the job's settings as a map")) return;
  Target t{&job.settings, &job.field_locations, "", Scope::job, {}};
  read_settings(value_of(e), t, &job);
  check_job_complete(job, e);
  manifest_.jobs.push_back(std::move(job));
}

// A job needs a schedule and a command on every platform it runs on; either
// may come from the job itself or from that platform's overlay.
void Loader::check_job_complete(const Job& job, const Entry& e) {
  auto has = [&](std::string_view rel, const std::vector<std::string_view>& names) {
    for (std::string_view n : names)
      if (job.field_locations.count(std::string(rel).append(n))) return true;
    return false;
  };
  struct Need {
    std::vector<std::string_view> keys;
    std::string_view what;
    std::string_view example;
  };
  const Need needs[] = {
      {{"schedule"}, "schedule", "schedule: \"0 2 * * *\" or schedule: { every: 5m }"},
      {{"command", "shell"}, "command", "command: [/usr/local/bin/backup, --full] or shell: \"backup --full\""},
  };
  for (const Need& need : needs) {
    if (has("", need.keys)) continue;
    std::vector<std::string_view> missing;
    for (Platform p : {Platform::posix, Platform::windows}) {
      if (!runs_on(job, p)) continue;
      if (!has(p == Platform::posix ? "posix." : "windows.", need.keys)) missing.push_back(to_string(p));
    }
    if (missing.empty()) continue;
    if (!has("posix.", need.keys) && !has("windows.", need.keys)) {
      error(e.key_where, e.field, fmt::format("job '{}' has no {}", job.name, need.what),
            fmt::format("add {}", need.example));
      continue;
    }
    for (std::string_view p : missing) {
      error(e.key_where, e.field, fmt::format("job '{}' has no {} for {}", job.name, need.what, p),
            fmt::format("add '{}' to the job or to its '{}:' overlay, or limit the job with "
                        "'platforms:'",
                        need.keys[0], p));
    }
  }
  for (Platform p : {Platform::posix, Platform::windows}) {
    std::string overlay(to_string(p));
    if (runs_on(job, p)) continue;
    auto it = job.field_locations.find(overlay);
    if (it == job.field_locations.end()) continue;
    warning(it->second, join_path(e.field, overlay),
            fmt::format("job '{}' does not run on {} (see 'platforms'), so this overlay is never used",
                        job.name, overlay));
  }
}

// ---------------------------------------------------------------------------
// Settings.

void Loader::read_settings(const Value& v, Target t, Job* job) {
  if (!expect_map(v, "a map of settings")) return;
  const Entry* command = nullptr;
  std::vector<Entry> es = entries(*v.node, v.field);
  for (const Entry& e : es) {
    if (!allowed_in(e.key, t.scope)) {
      const bool known = std::find(kJobKeys.begin(), kJobKeys.end(), e.key) != kJobKeys.end();
      const bool nested_overlay = (e.key == "posix" || e.key == "windows") && t.platform;
      if (!known && std::find(kScheduleKeys.begin(), kScheduleKeys.end(), e.key) != kScheduleKeys.end()) {
        unknown_key(e, keys_of(t.scope),
                    fmt::format("'{}' belongs inside 'schedule:', e.g. schedule: {}", e.key,
                                e.key == "every" ? "{ every: 5m }"
                                : e.key == "on"  ? "{ on: boot }"
                                                 : "{ at: \"06:00\", days: [mon] }"));
      } else if (!known) {
        unknown_key(e, keys_of(t.scope));
      } else if (!nested_overlay &&
                 (t.scope == Scope::defaults || t.scope == Scope::defaults_overlay)) {
        error(e.key_where, e.field, fmt::format("'{}' cannot be set in defaults", e.key),
              fmt::format("set '{}' on each job", e.key));
      } else {
        error(e.key_where, e.field,
              fmt::format("'{}' cannot be set inside the '{}:' overlay", e.key,
                          to_string(*t.platform)),
              e.key == "platforms" ? "set 'platforms' on the job itself"
                                   : "overlays hold settings for one platform and do not nest");
      }
      continue;
    }
    if (e.key == "command" || e.key == "shell") {
      if (command) {
        error(e.key_where, e.field,
              fmt::format("'{}' and '{}' cannot both be set", command->key, e.key),
              "'command' is an exact argv list, 'shell' one shell line; keep one of them");
        continue;
      }
      command = &e;
    }
    read_setting(e, t, job);
  }
}

void Loader::read_setting(const Entry& e, Target& t, Job* job) {
  JobSettings& s = *t.settings;
  const std::string& k = e.key;
  const Value v = value_of(e);
  (*t.locations)[t.rel + k] = e.where;
  if (k == "description") {
    if (auto x = read_line(v)) s.description = *x;
  } else if (k == "schedule") {
    if (auto x = read_schedule(v)) s.schedule = std::move(*x);
  } else if (k == "command") {
    if (auto x = read_command(v)) s.command = std::move(*x);
  } else if (k == "shell") {
    if (auto x = read_line(v, "a shell line")) {
      if (x->find_first_not_of(" \t") == std::string::npos)
        error(v.where, v.field, "the shell line is empty",
              "give the command to run, e.g. shell: \"backup --full >/dev/null\"");
      else
        s.command = Command{{}, *x};
    }
  } else if (k == "working_dir") {
    if (auto x = read_path(v, t, false)) s.working_dir = *x;
  } else if (k == "env") {
    if (auto x = read_env(v, t)) s.env = std::move(*x);
  } else if (k == "log") {
    if (auto x = read_path(v, t, true)) s.log = *x;
  } else if (k == "timeout") {
    if (auto x = read_duration(v, true)) s.timeout = *x;
  } else if (k == "random_delay") {
    if (auto x = read_duration(v, false)) s.random_delay = *x;
  } else if (k == "overlap") {
    if (auto x = read_choice(v, "overlap policy", kOverlapValues)) {
      auto i = std::find(kOverlapValues.begin(), kOverlapValues.end(), *x) - kOverlapValues.begin();
      s.overlap = static_cast<Overlap>(i);
    }
  } else if (k == "missed") {
    if (auto x = read_choice(v, "policy for missed runs", kMissedValues))
      s.missed = *x == "run" ? Missed::run : Missed::skip;
  } else if (k == "retries") {
    if (auto x = read_retries(v, t)) s.retries = *x;
  } else if (k == "enabled") {
    if (auto x = read_bool(v)) s.enabled = *x;
  } else if (k == "conditions") {
    if (auto x = read_conditions(v, t)) s.conditions = *x;
  } else if (k == "run_as") {
    if (auto x = read_string(v, "a user name")) {
      static const std::regex user("[a-z_][a-z0-9_-]*[$]?");
      if (*x == "system" || std::regex_match(*x, user)) {
        s.run_as = *x;
      } else {
        std::string lower = to_name(*x);
        error(v.where, v.field,
              fmt::format("'{}' is not a user name; write 'system' or a name of lower-case letters, "
                          "digits, '_' and '-' ([a-z_][a-z0-9_-]*, optionally ending in '$')",
                          *x),
              !lower.empty() && std::regex_match(lower, user) ? fmt::format("did you mean '{}'?", lower)
                                                               : std::string());
      }
    }
  } else if (k == "timezone") {
    if (auto x = read_string(v, "a time zone name")) {
      static const std::regex zone("UTC|[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)+");
      if (std::regex_match(*x, zone)) {
        s.timezone = *x;
      } else {
        error(v.where, v.field,
              fmt::format("'{}' is not a time zone name; write an IANA name such as "
                          "'Europe/Berlin' or 'America/New_York', or 'UTC'",
                          *x),
              *x == "utc" || *x == "Utc" ? "did you mean 'UTC'?" : std::string());
      }
    }
  } else if (k == "posix" || k == "windows") {
    Platform p = k == "posix" ? Platform::posix : Platform::windows;
    JobSettings* overlay;
    Scope scope;
    if (t.scope == Scope::job) {
      overlay = p == Platform::posix ? &job->posix : &job->windows;
      scope = Scope::job_overlay;
    } else {
      overlay = p == Platform::posix ? &manifest_.defaults_posix : &manifest_.defaults_windows;
      scope = Scope::defaults_overlay;
    }
    Target sub{overlay, t.locations, k + ".", scope, p};
    read_settings(v, sub, job);
  } else if (k == "platforms") {
    if (auto x = read_platforms(v)) job->platforms = std::move(*x);
  }
}

std::optional<std::string> Loader::read_string(const Value& v, std::string_view expected) {
  if (v.node->is_scalar() && scalar_kind(*v.node) == ScalarKind::string) return v.node->scalar;
  std::string hint;
  if (v.node->is_scalar() && scalar_kind(*v.node) != ScalarKind::null)
    hint = fmt::format("quote it to use it as text: \"{}\"", v.node->scalar);
  error(v.where, v.field, fmt::format("expected {}, found {}", expected, describe(*v.node)),
        std::move(hint));
  return std::nullopt;
}

// A string that ends up on a command line or in a file name, where a NUL or
// a line break cannot travel (a crontab entry is one line).
std::optional<std::string> Loader::read_line(const Value& v, std::string_view expected) {
  auto s = read_string(v, expected);
  if (!s) return s;
  std::size_t bad = s->find_first_of(std::string_view("\0\n\r", 3));
  if (bad == std::string::npos) return s;
  bool trailing = s->find_first_not_of("\r\n", bad) == std::string::npos;
  error(v.where, v.field,
        (*s)[bad] == '\0' ? "contains a NUL character, which no command line can carry"
                          : "contains a line break; the value must be a single line",
        trailing && (*s)[bad] != '\0'
            ? "a '|' block keeps the final line break; write '|-' or '>-' instead"
            : "put a multi-line script in a file and run that file");
  return std::nullopt;
}

// An argv item or env value: any scalar, taken as written, so `[sleep, 10]`
// needs no quotes.
std::optional<std::string> Loader::read_text(const Value& v) {
  if (!v.node->is_scalar() || scalar_kind(*v.node) == ScalarKind::null) {
    error(v.where, v.field, fmt::format("expected a string, found {}", describe(*v.node)),
          v.node->is_scalar() && !v.node->scalar.empty()
              ? fmt::format("quote it to use it as text: \"{}\"", v.node->scalar)
              : std::string());
    return std::nullopt;
  }
  const std::string& s = v.node->scalar;
  std::size_t bad = s.find_first_of(std::string_view("\0\n\r", 3));
  if (bad != std::string::npos) {
    error(v.where, v.field,
          s[bad] == '\0' ? "contains a NUL character, which no command line can carry"
                         : "contains a line break; the value must be a single line");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> Loader::read_bool(const Value& v) {
  if (v.node->is_scalar() && scalar_kind(*v.node) == ScalarKind::boolean) {
    const std::string& s = v.node->scalar;
    return s == "true" || s == "True" || s == "TRUE";
  }
  std::string hint;
  if (v.node->is_scalar()) {
    static const std::regex yaml11("y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF");
    if (std::regex_match(v.node->scalar, yaml11))
      hint = fmt::format("YAML 1.2 reads '{}' as text; write true or false", v.node->scalar);
  }
  error(v.where, v.field, fmt::format("expected true or false, found {}", describe(*v.node)),
        std::move(hint));
  return std::nullopt;
}

std::optional<std::chrono::seconds> Loader::read_duration(const Value& v, bool positive) {
  const YamlNode& n = *v.node;
  if (!n.is_scalar() || scalar_kind(n) == ScalarKind::null) {
    error(v.where, v.field,
          fmt::format("expected a duration such as '30m', found {}", describe(n)));
    return std::nullopt;
  }
  if (scalar_kind(n) == ScalarKind::integer || scalar_kind(n) == ScalarKind::floating) {
    error(v.where, v.field,
          fmt::format("'{}' has no unit; a duration is a whole number and a unit (s, m, h, d)",
                      n.scalar),
          fmt::format("did you mean '{}s' or '{}m'?", n.scalar, n.scalar));
    return std::nullopt;
  }
  auto d = parse_duration(n.scalar);
  if (!d) {
    error(v.where, v.field,
          fmt::format("'{}' is not a duration; write a whole number and a unit (s, m, h, d) such "
                      "as '90s', '5m', '2h', '1d', or a sum in decreasing units such as '1h30m'",
                      n.scalar));
    return std::nullopt;
  }
  if (positive && d->count() == 0) {
    error(v.where, v.field, fmt::format("'{}' is zero; the duration must be longer than 0s", n.scalar));
    return std::nullopt;
  }
  return d;
}

std::optional<std::string> Loader::read_choice(const Value& v, std::string_view what,
                                               const std::vector<std::string_view>& allowed) {
  auto s = read_string(v, fmt::format("one of {}", join(allowed)));
  if (!s) return s;
  if (std::find(allowed.begin(), allowed.end(), *s) != allowed.end()) return s;
  std::string guess = closest(*s, allowed);
  error(v.where, v.field, fmt::format("unknown {} '{}'; allowed: {}", what, *s, join(allowed)),
        guess.empty() ? std::string() : fmt::format("did you mean '{}'?", guess));
  return std::nullopt;
}

std::optional<std::string> Loader::read_path(const Value& v, const Target& t, bool is_log) {
  auto s = read_line(v, "an absolute path");
  if (!s) return s;
  if (is_log) {
    // Only the two placeholders effective_job() expands; any other brace
    // pair is a typo that would otherwise become a literal file name.
    for (std::size_t open = s->find('{'); open != std::string::npos; open = s->find('{', open + 1)) {
      std::size_t close = s->find('}', open);
      std::string_view name = close == std::string::npos
                                  ? std::string_view()
                                  : std::string_view(*s).substr(open + 1, close - open - 1);
      if (name != "job" && name != "namespace") {
        std::string shown = close == std::string::npos ? s->substr(open) : s->substr(open, close - open + 1);
        std::string guess = closest(name, {"job", "namespace"});
        error(v.where, v.field,
              fmt::format("unknown placeholder '{}' in the log path; allowed: {{job}}, {{namespace}}", shown),
              guess.empty() ? std::string() : fmt::format("did you mean '{{{}}}'?", guess));
        return std::nullopt;
      }
    }
  }
  const bool posix = is_posix_absolute(*s), windows = is_windows_absolute(*s);
  std::string_view what = is_log ? "a log file" : "a working directory";
  if (t.platform == Platform::posix && !posix) {
    error(v.where, v.field,
          fmt::format("'{}' is not an absolute POSIX path; {} in the 'posix:' overlay starts with '/'",
                      *s, what),
          windows ? "put Windows paths in the 'windows:' overlay" : std::string());
    return std::nullopt;
  }
  if (t.platform == Platform::windows && !windows) {
    error(v.where, v.field,
          fmt::format("'{}' is not an absolute Windows path; {} in the 'windows:' overlay starts with "
                      "a drive (C:\\) or a share (\\\\server\\share)",
                      *s, what),
          posix ? "put POSIX paths in the 'posix:' overlay" : std::string());
    return std::nullopt;
  }
  if (!posix && !windows) {
    error(v.where, v.field,
          fmt::format("'{}' is not an absolute path; write a full path such as /srv/app or C:\\app", *s),
          "jobs start in a directory chosen by the OS scheduler, so relative paths are refused");
    return std::nullopt;
  }
  return s;
}

std::optional<Command> Loader::read_command(const Value& v) {
  if (v.node->is_scalar() && scalar_kind(*v.node) == ScalarKind::string) {
    error(v.where, v.field, "expected a list (an exact argv), found a string",
          "write [program, arg, ...], e.g. [/usr/local/bin/backup, --full], or use 'shell:' for a "
          "shell line");
    return std::nullopt;
  }
  if (!v.node->is_sequence()) {
    error(v.where, v.field, fmt::format("expected a list of strings, found {}", describe(*v.node)));
    return std::nullopt;
  }
  if (v.node->size() == 0) {
    error(v.where, v.field, "the command is empty; give the program and its arguments",
          "e.g. command: [/usr/local/bin/backup, --full]");
    return std::nullopt;
  }
  Command c;
  bool ok = true;
  std::size_t i = 0;
  for (const YamlNode* item : v.node->items) {
    Value iv{item, item->is_null() ? v.where : at(*item), v.field + "[" + std::to_string(i) + "]"};
    auto text = read_text(iv);
    if (text && i == 0 && text->empty()) {
      error(iv.where, iv.field, "the program (the command's first item) is empty");
      text.reset();
    }
    if (text)
      c.argv.push_back(*text);
    else
      ok = false;
    ++i;
  }
  if (!ok) return std::nullopt;
  return c;
}

std::optional<std::map<std::string, std::string>> Loader::read_env(const Value& v, Target& t) {
  if (!expect_map(v, "a map of variable name to value")) return std::nullopt;
  std::map<std::string, std::string> env;
  bool ok = true;
  for (const Entry& e : entries(*v.node, v.field)) {
    (*t.locations)[t.rel + "env." + e.key] = e.where;
    if (!is_env_name(e.key)) {
      error(e.key_where, e.field,
            fmt::format("'{}' is not a valid environment variable name; use letters, digits and "
                        "'_', not starting with a digit ([A-Za-z_][A-Za-z0-9_]*)",
                        e.key));
      ok = false;
      continue;
    }
    auto text = read_text(value_of(e));
    if (text)
      env[e.key] = *text;
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return env;
}

std::optional<int> Loader::read_count(const Value& v) {
  if (!v.node->is_scalar() || scalar_kind(*v.node) != ScalarKind::integer) {
    error(v.where, v.field, fmt::format("expected a whole number from 0 to 100, found {}", describe(*v.node)));
    return std::nullopt;
  }
  const std::string& s = v.node->scalar;
  static const std::regex small("[+]?[0-9]{1,3}");
  if (!std::regex_match(s, small) || std::stoi(s) > 100) {
    error(v.where, v.field, fmt::format("retry count {} is out of range; allowed: 0-100", s));
    return std::nullopt;
  }
  return std::stoi(s);
}

std::optional<Retries> Loader::read_retries(const Value& v, Target& t) {
  if (v.node->is_scalar() && scalar_kind(*v.node) == ScalarKind::integer) {
    // `retries: 3` is short for `retries: { count: 3 }`, retrying at once.
    auto count = read_count(v);
    if (!count) return std::nullopt;
    return Retries{*count, std::chrono::seconds{0}};
  }
  if (!expect_map(v, "a count or a map such as { count: 3, delay: 5m }")) return std::nullopt;
  Retries r;
  bool ok = true, has_count = false;
  for (const Entry& e : entries(*v.node, v.field)) {
    (*t.locations)[fmt::format("{}retries.{}", t.rel, e.key)] = e.where;
    if (e.key == "count") {
      has_count = true;
      auto c = read_count(value_of(e));
      if (c)
        r.count = *c;
      else
        ok = false;
    } else if (e.key == "delay") {
      auto d = read_duration(value_of(e), false);
      if (d)
        r.delay = *d;
      else
        ok = false;
    } else {
      unknown_key(e, kRetriesKeys);
      ok = false;
    }
  }
  if (!has_count) {
    error(v.where, v.field, "retries needs 'count'", "e.g. retries: { count: 3, delay: 5m }");
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  return r;
}

std::optional<Conditions> Loader::read_conditions(const Value& v, Target& t) {
  if (!expect_map(v, "a map such as { ac_power: true, network: true, idle: 10m }"))
    return std::nullopt;
  Conditions c;
  bool ok = true;
  for (const Entry& e : entries(*v.node, v.field)) {
    (*t.locations)[fmt::format("{}conditions.{}", t.rel, e.key)] = e.where;
    if (e.key == "ac_power" || e.key == "network") {
      auto b = read_bool(value_of(e));
      if (!b)
        ok = false;
      else
        (e.key == "ac_power" ? c.ac_power : c.network) = *b;
    } else if (e.key == "idle") {
      auto d = read_duration(value_of(e), true);
      if (d)
        c.idle = *d;
      else
        ok = false;
    } else {
      unknown_key(e, kConditionsKeys);
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return c;
}

std::optional<std::set<Platform>> Loader::read_platforms(const Value& v) {
  if (v.node->is_scalar() && scalar_kind(*v.node) == ScalarKind::string) {
    error(v.where, v.field, "expected a list of platforms, found a string",
          fmt::format("write 'platforms: [{}]'", v.node->scalar));
    return std::nullopt;
  }
  if (!v.node->is_sequence()) {
    error(v.where, v.field, fmt::format("expected a list of platforms, found {}", describe(*v.node)));
    return std::nullopt;
  }
  if (v.node->size() == 0) {
    error(v.where, v.field, "the list of platforms is empty; allowed: posix, windows",
          "leave 'platforms' out to run the job everywhere, or set 'enabled: false'");
    return std::nullopt;
  }
  std::set<Platform> out;
  bool ok = true;
  std::size_t i = 0;
  for (const YamlNode* item : v.node->items) {
    Value iv{item, item->is_null() ? v.where : at(*item), fmt::format("{}[{}]", v.field, i++)};
    auto name = read_choice(iv, "platform", kPlatformValues);
    if (!name) {
      ok = false;
      continue;
    }
    Platform p = *name == "posix" ? Platform::posix : Platform::windows;
    if (!out.insert(p).second) {
      error(iv.where, iv.field, fmt::format("platform '{}' is listed twice", *name));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

// ---------------------------------------------------------------------------
// Schedules.

std::optional<Schedule> Loader::read_schedule(const Value& v) {
  Schedule s;
  if (v.node->is_sequence()) {
    if (v.node->size() == 0) {
      error(v.where, v.field, "the schedule list is empty",
            "give at least one cron string or { every: ... } / { at: ... } / { on: ... }");
      return std::nullopt;
    }
    bool ok = true;
    std::size_t i = 0;
    for (const YamlNode* item : v.node->items) {
      Value iv{item, item->is_null() ? v.where : at(*item), fmt::format("{}[{}]", v.field, i++)};
      if (item->is_sequence()) {
        error(iv.where, iv.field, "expected a cron string or a map, found a list",
              "a schedule list holds cron strings and maps, not other lists");
        ok = false;
        continue;
      }
      auto one = read_schedule_item(iv);
      if (one)
        s.items.push_back(std::move(*one));
      else
        ok = false;
    }
    if (!ok) return std::nullopt;
    return s;
  }
  auto one = read_schedule_item(v);
  if (!one) return std::nullopt;
  s.items.push_back(std::move(*one));
  return s;
}

std::optional<ScheduleItem> Loader::read_schedule_item(const Value& v) {
  if (v.node->is_map()) return read_structured_item(v);
  if (v.node->is_scalar() && scalar_kind(*v.node) == ScalarKind::string) return read_cron_item(v);
  error(v.where, v.field,
        fmt::format("expected a cron string such as \"0 2 * * *\", a map such as {{ every: 5m }}, "
                    "or a list of these, found {}",
                    describe(*v.node)));
  return std::nullopt;
}

std::optional<ScheduleItem> Loader::read_cron_item(const Value& v) {
  ScheduleItem item;
  item.kind = ScheduleItem::Kind::cron;
  item.cron = v.node->scalar;
  item.where = v.where;
  auto parsed = cron::CronExpression::try_parse(item.cron);
  if (const auto* bad = std::get_if<cron::SyntaxError>(&parsed)) {
    SourceLocation where = v.where;
    where.column = detail::column_in_scalar(text_, v.node->mark, bad->offset);
    std::string hint;
    if (!bad->has_field) {
      std::string_view text = item.cron;
      std::size_t first = text.find_first_not_of(" \t");
      // The parser's own message already lists the macros; only a
      // seconds or years field, common in other schedulers, needs a word.
      if (first != std::string_view::npos && text[first] != '@') {
        std::size_t fields = 0;
        for (std::size_t i = 0; i < text.size();) {
          i = text.find_first_not_of(" \t", i);
          if (i == std::string_view::npos) break;
          ++fields;
          i = text.find_first_of(" \t", i);
        }
        if (fields == 6 || fields == 7)
          hint = "omnicron's cron has no seconds or years field; if the first field is "
                 "seconds, drop it";
      }
    }
    error(where, v.field, bad->message, std::move(hint));
    return std::nullopt;
  }
  return item;
}

std::optional<ScheduleItem> Loader::read_structured_item(const Value& v) {
  ScheduleItem item;
  item.where = v.where;
  const Entry* kind = nullptr;
  const Entry* days = nullptr;
  bool ok = true;
  std::vector<Entry> es = entries(*v.node, v.field);
  for (const Entry& e : es) {
    if (e.key == "every" || e.key == "at" || e.key == "on") {
      if (kind) {
        error(e.key_where, e.field,
              fmt::format("'{}' cannot be combined with '{}' in one schedule item", e.key, kind->key),
              "write a list of schedule items to fire at the union of their times");
        ok = false;
        continue;
      }
      kind = &e;
      if (e.key == "every") {
        item.kind = ScheduleItem::Kind::every;
        auto d = read_duration(value_of(e), true);
        if (d)
          item.every = *d;
        else
          ok = false;
      } else if (e.key == "at") {
        item.kind = ScheduleItem::Kind::at;
        auto times = read_times(value_of(e));
        if (times)
          item.at = std::move(*times);
        else
          ok = false;
      } else {
        auto on = read_choice(value_of(e), "event", kOnValues);
        if (on)
          item.kind = *on == "boot" ? ScheduleItem::Kind::boot : ScheduleItem::Kind::logon;
        else
          ok = false;
      }
    } else if (e.key == "days") {
      days = &e;
      auto d = read_days(value_of(e));
      if (d)
        item.days = std::move(*d);
      else
        ok = false;
    } else {
      unknown_key(e, kScheduleKeys);
      ok = false;
    }
  }
  if (!kind) {
    error(v.where, v.field, "a schedule map needs one of 'every', 'at' or 'on'",
          "e.g. { every: 5m }, { at: \"06:00\", days: [mon] } or { on: boot }");
    return std::nullopt;
  }
  if (days && kind->key != "at") {
    error(days->key_where, days->field, fmt::format("'days' goes with 'at', not with '{}'", kind->key),
          kind->key == "every" ? "for every few minutes on some days, write a cron string such as "
                                 "\"*/15 * * * 1-5\""
                               : std::string());
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  // to_cron() knows which intervals and times cron can express exactly;
  // asking it here reports an impossible schedule at load time. `on: logon`
  // has no cron form but is valid for Task Scheduler, so it waits for a
  // backend to refuse it.
  if (item.kind != ScheduleItem::Kind::logon) {
    try {
      (void)to_cron(item);
    } catch (const Error& err) {
      error(kind->where, kind->field, err.message());
      return std::nullopt;
    }
  }
  return item;
}

std::optional<std::vector<TimeOfDay>> Loader::read_times(const Value& v) {
  std::vector<Value> items;
  if (v.node->is_sequence()) {
    if (v.node->size() == 0) {
      error(v.where, v.field, "the list of times is empty", "e.g. at: [\"06:00\", \"18:00\"]");
      return std::nullopt;
    }
    std::size_t i = 0;
    for (const YamlNode* item : v.node->items)
      items.push_back({item, item->is_null() ? v.where : at(*item), fmt::format("{}[{}]", v.field, i++)});
  } else {
    items.push_back(v);
  }
  static const std::regex hhmm("([0-9]{1,2}):([0-9]{2})");
  std::vector<TimeOfDay> out;
  bool ok = true;
  for (const Value& iv : items) {
    auto s = read_string(iv, "a time of day such as \"06:00\"");
    if (!s) {
      ok = false;
      continue;
    }
    std::smatch m;
    int hour = -1, minute = -1;
    if (std::regex_match(*s, m, hhmm)) {
      hour = std::stoi(m[1].str());
      minute = std::stoi(m[2].str());
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      error(iv.where, iv.field,
            fmt::format("'{}' is not a time of day; write HH:MM in 24-hour time, e.g. \"06:00\" or "
                        "\"18:30\"",
                        *s));
      ok = false;
      continue;
    }
    TimeOfDay t{hour, minute};
    if (std::find(out.begin(), out.end(), t) != out.end()) {
      error(iv.where, iv.field, fmt::format("time '{}' is listed twice", *s));
      ok = false;
      continue;
    }
    out.push_back(t);
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<int>> Loader::read_days(const Value& v) {
  std::vector<Value> items;
  if (v.node->is_sequence()) {
    if (v.node->size() == 0) {
      error(v.where, v.field, "the list of days is empty",
            "leave 'days' out to run every day, or list some: [mon, wed, fri]");
      return std::nullopt;
    }
    std::size_t i = 0;
    for (const YamlNode* item : v.node->items)
      items.push_back({item, item->is_null() ? v.where : at(*item), fmt::format("{}[{}]", v.field, i++)});
  } else {
    // `days: mon` is short for `days: [mon]`.
    items.push_back(v);
  }
  std::set<int> days;
  std::set<std::string> seen;
  bool ok = true;
  for (const Value& iv : items) {
    auto s = read_string(iv, "a day name such as mon");
    if (!s) {
      ok = false;
      continue;
    }
    auto it = std::find(kDayNames.begin(), kDayNames.end(), *s);
    if (it == kDayNames.end()) {
      // "Monday" and "MON" should point at "mon", not at the nearest edit.
      std::string lower = to_name(*s);
      std::string guess;
      for (std::string_view d : kDayNames)
        if (lower.size() >= 3 && lower.starts_with(d)) guess = std::string(d);
      if (guess.empty()) guess = closest(*s, kDayNames);
      error(iv.where, iv.field,
            fmt::format("unknown day '{}'; allowed: mon, tue, wed, thu, fri, sat, sun, weekdays, "
                        "weekends",
                        *s),
            guess.empty() ? std::string() : fmt::format("did you mean '{}'?", guess));
      ok = false;
      continue;
    }
    if (!seen.insert(*s).second) {
      error(iv.where, iv.field, fmt::format("day '{}' is listed twice", *s));
      ok = false;
      continue;
    }
    auto index = static_cast<int>(it - kDayNames.begin());
    if (*s == "weekdays") {
      for (int d = 1; d <= 5; ++d) days.insert(d);
    } else if (*s == "weekends") {
      days.insert(0);
      days.insert(6);
    } else {
      days.insert(index);
    }
  }
  if (!ok) return std::nullopt;
  return std::vector<int>(days.begin(), days.end());
}

}  // namespace

bool is_valid_name(std::string_view text) { return is_name(text); }

LoadResult load_manifest(std::string_view text, const std::string& file_name) {
  return Loader(text, file_name).run();
}

}  // namespace omnicron
