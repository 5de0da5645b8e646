#include "engine/function_registry.h"

#include <map>
#include <mutex>

namespace strata::engine {
namespace {

std::map<std::string, FunctionDef, std::less<>>& Registry() {
  static std::map<std::string, FunctionDef, std::less<>> registry;
  return registry;
}

}  // namespace

void RegisterFunction(FunctionDef def) {
  std::string name = def.name;
  Registry()[name] = std::move(def);
}

const FunctionDef* FindFunction(std::string_view name) {
  static std::once_flag once;
  std::call_once(once, [] {
    RegisterArithmeticFunctions();
    RegisterComparisonFunctions();
    RegisterStringFunctions();
    RegisterTimeFunctions();
    RegisterConditionalFunctions();
    RegisterArrayFunctions();
  });
  auto& registry = Registry();
  auto it = registry.find(name);
  return it == registry.end() ? nullptr : &it->second;
}

}  // namespace strata::engine
