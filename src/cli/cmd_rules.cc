// @brief `claimcheck rules`: load the rules, show what they hold, run their examples.
#include <iostream>
#include <map>

#include "cli/common.h"
#include "core/examples.h"

namespace claimcheck::cli {

void add_rules(CLI::App& app) {
  auto* cmd = app.add_subcommand("rules",
                                 "Check the rules folder: parse every table, fragment and rule file (errors as\n"
                                 "file:line), print what it holds, and with --test run every rule's examples.\n"
                                 "  claimcheck rules --test");
  static bool test = false;
  cmd->add_flag("--test", test, "run every rule's examples and counter-examples");
  cmd->callback([] {
    const RuleSet& rs = rules();
    std::map<std::string, int> kinds;
    size_t examples = 0;
    for (const auto& r : rs.rules()) { ++kinds[r->kind]; examples += r->examples.size(); }
    std::cout << rs.dir() << ": ";
    for (const auto& [k, n] : kinds) std::cout << n << " " << k << " rules, ";
    std::cout << examples << " examples\n";
    if (!test) return;
    size_t failed = 0;
    for (const auto& r : rs.rules())
      for (const auto& f : run_examples(rs, *r)) {
        std::cout << f.where << ": rule " << f.rule << ": " << f.message << "\n";
        ++failed;
      }
    std::cout << (examples - failed) << " passed, " << failed << " failed\n";
    globals().exit_code = failed ? kBelowTarget : kOk;
  });
}

}  // namespace claimcheck::cli
