#include "manifest/manifest.h"

#include <algorithm>

namespace omnicron {

std::string_view to_string(Overlap o) {
  switch (o) {
    case Overlap::allow: return "allow";
    case Overlap::skip: return "skip";
    case Overlap::queue: return "queue";
    case Overlap::replace: return "replace";
  }
  return "allow";
}

std::string_view to_string(Missed m) {
  switch (m) {
    case Missed::skip: return "skip";
    case Missed::run: return "run";
  }
  return "skip";
}

std::string_view to_string(Platform p) {
  switch (p) {
    case Platform::posix: return "posix";
    case Platform::windows: return "windows";
  }
  return "posix";
}

const Job* Manifest::find_job(std::string_view name) const {
  auto it = std::find_if(jobs.begin(), jobs.end(),
                         [&](const Job& j) { return j.name == name; });
  return it == jobs.end() ? nullptr : &*it;
}

bool runs_on(const Job& job, Platform platform) {
  return job.platforms.empty() || job.platforms.count(platform) > 0;
}

namespace {

// Layers one JobSettings over the effective job, remembering where each value
// it sets was written. `locations` is keyed by paths with `prefix` in front
// ("windows." for an overlay); the effective job's keys drop the prefix.
class Layerer {
 public:
  explicit Layerer(EffectiveJob& out) : out_(out) {}

  void layer(const JobSettings& s,
             const std::map<std::string, SourceLocation>& locations,
             const std::string& prefix) {
    locations_ = &locations;
    prefix_ = &prefix;
    if (s.description) set(out_.description, *s.description, "description");
    if (s.schedule) set(out_.schedule, *s.schedule, "schedule");
    if (s.command) {
      // `command:` and `shell:` are one setting written two ways: a layer
      // that sets either replaces whatever the layers below set.
      forget("command");
      forget("shell");
      out_.command = *s.command;
      remember(s.command->is_shell() ? "shell" : "command");
    }
    if (s.working_dir) set(out_.working_dir, s.working_dir, "working_dir");
    for (const auto& [name, value] : s.env) {
      out_.env[name] = value;
      remember("env." + name);
    }
    if (s.log) set(out_.log, s.log, "log");
    if (s.timeout) set(out_.timeout, s.timeout, "timeout");
    if (s.overlap) set(out_.overlap, *s.overlap, "overlap");
    if (s.retries) set(out_.retries, *s.retries, "retries");
    if (s.enabled) set(out_.enabled, *s.enabled, "enabled");
    if (s.missed) set(out_.missed, *s.missed, "missed");
    if (s.conditions) set(out_.conditions, *s.conditions, "conditions");
    if (s.run_as) set(out_.run_as, s.run_as, "run_as");
    if (s.random_delay) set(out_.random_delay, s.random_delay, "random_delay");
    if (s.timezone) set(out_.timezone, s.timezone, "timezone");
  }

 private:
  template <typename T, typename V>
  void set(T& field, const V& value, const std::string& name) {
    field = value;
    forget(name);
    remember(name);
  }

  // Drops the locations a lower layer recorded for `name` and its parts
  // ("retries", "retries.count"), since this layer replaces the whole value.
  // The map is sorted, so they all follow lower_bound(name).
  void forget(const std::string& name) {
    auto& locs = out_.field_locations;
    for (auto it = locs.lower_bound(name);
         it != locs.end() && it->first.compare(0, name.size(), name) == 0;) {
      if (is_part_of(it->first, name))
        it = locs.erase(it);
      else
        ++it;
    }
  }

  void remember(const std::string& name) {
    const std::string full = *prefix_ + name;
    for (auto it = locations_->lower_bound(full);
         it != locations_->end() && it->first.compare(0, full.size(), full) == 0; ++it) {
      std::string rest = it->first.substr(prefix_->size());
      if (is_part_of(rest, name)) out_.field_locations[rest] = it->second;
    }
  }

  static bool is_part_of(const std::string& path, const std::string& name) {
    if (path.size() < name.size() || path.compare(0, name.size(), name) != 0) return false;
    return path.size() == name.size() || path[name.size()] == '.' || path[name.size()] == '[';
  }

  EffectiveJob& out_;
  const std::map<std::string, SourceLocation>* locations_ = nullptr;
  const std::string* prefix_ = nullptr;
};

std::string expand_log(std::string_view log, const std::string& job,
                       const std::string& namespace_) {
  std::string out;
  std::size_t i = 0;
  while (i < log.size()) {
    if (log.substr(i, 5) == "{job}") {
      out += job;
      i += 5;
    } else if (log.substr(i, 11) == "{namespace}") {
      out += namespace_;
      i += 11;
    } else {
      out += log[i++];
    }
  }
  return out;
}

}  // namespace

EffectiveJob effective_job(const Manifest& manifest, const Job& job,
                           Platform platform) {
  EffectiveJob e;
  e.namespace_ = manifest.namespace_;
  e.name = job.name;
  e.source = &job;
  const bool windows = platform == Platform::windows;
  const std::string overlay_prefix = windows ? "windows." : "posix.";
  const std::string no_prefix;

  Layerer layers(e);
  layers.layer(manifest.defaults, manifest.defaults_field_locations, no_prefix);
  layers.layer(windows ? manifest.defaults_windows : manifest.defaults_posix,
               manifest.defaults_field_locations, overlay_prefix);
  layers.layer(job.settings, job.field_locations, no_prefix);
  layers.layer(windows ? job.windows : job.posix, job.field_locations,
               overlay_prefix);

  if (e.log) e.log = expand_log(*e.log, e.name, e.namespace_);
  return e;
}

SourceLocation where_of(const EffectiveJob& job, const std::string& path) {
  auto it = job.field_locations.find(path);
  if (it != job.field_locations.end()) return it->second;
  return job.source ? job.source->where : SourceLocation{};
}

}  // namespace omnicron
