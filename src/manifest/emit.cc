#include "manifest/emit.h"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "duration.h"

namespace omnicron {

namespace {

// Written by hand rather than with YAML::Emitter: the layout is fixed and
// shallow, comments must sit exactly above a job's key, and whether a scalar
// may stay plain has to follow the loader's YAML 1.2 reading, which
// yaml-cpp's emitter (YAML 1.1 rules) does not know.

bool special_word(std::string_view text) {
  static constexpr std::array<std::string_view, 14> kWords = {
      "true", "false", "yes", "no",   "on",   "off",   "y",
      "n",    "null",  "~",   ".inf", ".nan", "-.inf", "<<"};
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view w : kWords)
    if (lower == w) return true;
  return false;
}

// Plain only for text that every YAML reader takes as this very string: it
// starts with a letter, '/', '_' or is an option (never a digit, so it is
// not a number),
// holds only characters with no meaning in block or flow context, has single
// blanks between words, and is not a word YAML 1.1 reads as a boolean or null.
bool can_be_plain(std::string_view text) {
  if (text.empty() || special_word(text)) return false;
  const auto first = static_cast<unsigned char>(text.front());
  // An option such as "-c" or "--quiet" may stay plain; "-1" is a number and
  // "- x" a list item.
  const bool option = first == '-' && text.size() > 1 &&
                      (std::isalpha(static_cast<unsigned char>(text[1])) || text[1] == '-');
  if (!(std::isalpha(first) || first == '/' || first == '_' || option)) return false;
  if (text.back() == ' ') return false;
  char prev = 0;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool ok = std::isalnum(c) || c == '/' || c == '_' || c == '.' || c == '-' || c == '+' ||
                    c == '=' || c == '@' || c == '(' || c == ')' || (c == ' ' && prev != ' ');
    if (!ok) return false;
    prev = ch;
  }
  return true;
}

std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\x{:02x}", c);
        else
          out += ch;
    }
  }
  return out + "\"";
}

std::string scalar(std::string_view text) {
  return can_be_plain(text) ? std::string(text) : double_quoted(text);
}

std::string flow_list(const std::vector<std::string> &items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + scalar(items[i]);
  return out + "]";
}

std::string time_of_day(const TimeOfDay &t) {
  return fmt::format("\"{:02}:{:02}\"", t.hour, t.minute);
}

std::string schedule_item(const ScheduleItem &item) {
  static constexpr std::array<std::string_view, 7> kDays = {"sun", "mon", "tue", "wed",
                                                            "thu", "fri", "sat"};
  switch (item.kind) {
    case ScheduleItem::Kind::cron:
      return double_quoted(item.cron);
    case ScheduleItem::Kind::every:
      return "{ every: " + format_duration(item.every) + " }";
    case ScheduleItem::Kind::boot:
      return "{ on: boot }";
    case ScheduleItem::Kind::logon:
      return "{ on: logon }";
    case ScheduleItem::Kind::at: {
      std::string out = "{ at: ";
      if (item.at.size() == 1) {
        out += time_of_day(item.at.front());
      } else {
        out += "[";
        for (std::size_t i = 0; i < item.at.size(); ++i)
          out += (i ? ", " : "") + time_of_day(item.at[i]);
        out += "]";
      }
      if (!item.days.empty()) {
        out += ", days: [";
        for (std::size_t i = 0; i < item.days.size(); ++i)
          out +=
              fmt::format("{}{}", i ? ", " : "", kDays.at(static_cast<std::size_t>(item.days[i])));
        out += "]";
      }
      return out + " }";
    }
  }
  return "";
}

// Whether a settings struct holds nothing (JobSettings has no usable ==: its
// schedule carries source locations).
bool is_empty(const JobSettings &s) {
  return !s.description && !s.schedule && !s.command && !s.working_dir && s.env.empty() && !s.log &&
         !s.timeout && !s.overlap && !s.retries && !s.enabled && !s.missed && !s.conditions &&
         !s.run_as && !s.random_delay && !s.timezone;
}

class Writer {
 public:
  std::string take() { return std::move(out_); }

  void comment(int indent, std::string_view text) {
    // A comment must stay one line; a line end inside would start YAML.
    std::string line(text);
    for (char &c : line)
      if (c == '\n' || c == '\r') c = ' ';
    out_ += std::string(static_cast<std::size_t>(indent), ' ') +
            (line.empty() ? "#" : "# " + line) + "\n";
  }

  void key(int indent, std::string_view name, std::string_view value) {
    out_ += fmt::format("{:{}}{}: {}\n", "", indent, scalar(name), value);
  }

  void key(int indent, std::string_view name) {
    out_ += fmt::format("{:{}}{}:\n", "", indent, scalar(name));
  }

  void blank() { out_ += "\n"; }

  // Every key of one JobSettings, at `indent`, in the documented order.
  void settings(int indent, const JobSettings &s) {
    if (s.description) key(indent, "description", scalar(*s.description));
    if (s.schedule) {
      const auto &items = s.schedule->items;
      if (items.size() == 1) {
        key(indent, "schedule", schedule_item(items.front()));
      } else {
        key(indent, "schedule");
        for (const auto &item : items)
          out_ += fmt::format("{:{}}- {}\n", "", indent + 2, schedule_item(item));
      }
    }
    if (s.command) {
      if (s.command->is_shell())
        key(indent, "shell", scalar(s.command->shell));
      else
        key(indent, "command", flow_list(s.command->argv));
    }
    if (s.working_dir) key(indent, "working_dir", scalar(*s.working_dir));
    if (!s.env.empty()) {
      key(indent, "env");
      for (const auto &[name, value] : s.env) key(indent + 2, name, scalar(value));
    }
    if (s.log) key(indent, "log", scalar(*s.log));
    if (s.timeout) key(indent, "timeout", format_duration(*s.timeout));
    if (s.overlap) key(indent, "overlap", std::string(to_string(*s.overlap)));
    if (s.retries) {
      if (s.retries->delay.count() == 0)
        key(indent, "retries", std::to_string(s.retries->count));
      else
        key(indent, "retries",
            fmt::format("{{ count: {}, delay: {} }}", s.retries->count,
                        format_duration(s.retries->delay)));
    }
    if (s.enabled) key(indent, "enabled", *s.enabled ? "true" : "false");
    if (s.missed) key(indent, "missed", std::string(to_string(*s.missed)));
    if (s.conditions) {
      const Conditions &c = *s.conditions;
      std::vector<std::string> parts;
      if (c.ac_power) parts.push_back("ac_power: true");
      if (c.network) parts.push_back("network: true");
      if (c.idle) parts.push_back("idle: " + format_duration(*c.idle));
      std::string text = "{";
      for (std::size_t i = 0; i < parts.size(); ++i) text += (i ? ", " : " ") + parts[i];
      key(indent, "conditions", text + (parts.empty() ? "}" : " }"));
    }
    if (s.run_as) key(indent, "run_as", scalar(*s.run_as));
    if (s.random_delay) key(indent, "random_delay", format_duration(*s.random_delay));
    if (s.timezone) key(indent, "timezone", scalar(*s.timezone));
  }

  void overlay(int indent, std::string_view name, const JobSettings &s) {
    if (is_empty(s)) return;
    key(indent, name);
    settings(indent + 2, s);
  }

 private:
  std::string out_;
};

}  // namespace

std::string emit_manifest(const Manifest &manifest, const EmitComments &comments) {
  Writer w;
  for (const auto &line : comments.header) w.comment(0, line);
  w.key(0, "version", std::to_string(manifest.version));
  w.key(0, "namespace", scalar(manifest.namespace_));
  if (!is_empty(manifest.defaults) || !is_empty(manifest.defaults_posix) ||
      !is_empty(manifest.defaults_windows)) {
    w.blank();
    w.key(0, "defaults");
    w.settings(2, manifest.defaults);
    w.overlay(2, "posix", manifest.defaults_posix);
    w.overlay(2, "windows", manifest.defaults_windows);
  }
  w.blank();
  if (manifest.jobs.empty()) {
    w.key(0, "jobs", "{}");
  } else {
    w.key(0, "jobs");
    bool first = true;
    for (const Job &job : manifest.jobs) {
      if (!first) w.blank();
      first = false;
      if (auto it = comments.before_job.find(job.name); it != comments.before_job.end())
        for (const auto &line : it->second) w.comment(2, line);
      w.key(2, job.name);
      w.settings(4, job.settings);
      if (!job.platforms.empty()) {
        std::vector<std::string> names;
        for (Platform p : job.platforms) names.emplace_back(to_string(p));
        w.key(4, "platforms", flow_list(names));
      }
      w.overlay(4, "posix", job.posix);
      w.overlay(4, "windows", job.windows);
    }
  }
  if (!comments.footer.empty()) {
    w.blank();
    for (const auto &line : comments.footer) w.comment(0, line);
  }
  return w.take();
}

}  // namespace omnicron
