#include "common.h"
#include "registry.h"

namespace parsimony {
void RegisterGru(Napi::Env, Napi::Object) {}
}  // namespace parsimony
