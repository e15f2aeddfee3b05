#include "cli/plan_json.h"

namespace omnicron::cli {

nlohmann::json plan_json(const Plan& plan, const std::string& target) {
  nlohmann::json changes = nlohmann::json::array();
  for (const Change& c : plan.changes) {
    nlohmann::json change = {{"job", c.job},
                             {"action", std::string(to_string(c.kind))},
                             {"why", c.why}};
    change["before"] = c.before ? nlohmann::json(c.before->text) : nlohmann::json(nullptr);
    change["after"] = c.after ? nlohmann::json(c.after->text) : nlohmann::json(nullptr);
    changes.push_back(std::move(change));
  }
  return {{"namespace", plan.namespace_},
          {"target", target},
          {"has_changes", plan.has_changes()},
          {"changes", changes}};
}

}  // namespace omnicron::cli
