// HashJoinOperator: joins the frames pushed through a pipeline (the probe side) with a build side
// read from another stage input (JoinSpec in query_definition.h). The build rows go into a
// GroupKeyTable keyed like GROUP BY keys (so dictionary-encoded keys hash each distinct value once)
// with the rows of each key listed together; probe rows look their key up and pair with those rows.
//
// Join types: INNER; LEFT (probe rows without a partner get NULL build columns); RIGHT and FULL
// (build rows never matched are emitted with NULL probe columns when the build side is done: at
// the end of its partition, or at Finish for a broadcast build side, which then needs a single
// probe worker). SQL NULL keys match nothing unless the key is IS NOT DISTINCT FROM.
#pragma once

#include <memory>
#include <vector>

#include "engine/operators.h"

namespace strata::engine {

std::unique_ptr<Operator> MakeHashJoinOperator(const JoinSpec& spec, const EvalContext* ctx, BuildLoader loader,
                                               Operator* next);

}  // namespace strata::engine
