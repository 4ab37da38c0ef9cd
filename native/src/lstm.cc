#include "common.h"
#include "registry.h"

namespace parsimony {
void RegisterLstm(Napi::Env, Napi::Object) {}
}  // namespace parsimony
