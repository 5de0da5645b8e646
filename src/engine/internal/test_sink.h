// Test helper: an Operator that collects the rows pushed into it as "v1|v2|..." text, sorted at
// Finish, so tests compare outputs without caring about row order.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "columnar/frame.h"
#include "engine/operators.h"

namespace strata::engine::test_util {

class TextRowSink : public Operator {
 public:
  Status Push(columnar::Frame f) override {
    for (int64_t r = 0; r < f.num_rows; ++r) {
      std::string row;
      for (int c = 0; c < f.num_columns(); ++c) row += (c ? "|" : "") + columnar::GetValue(f.column(c), r).ToString();
      rows.push_back(row);
    }
    return Status::OK();
  }
  Status Finish() override {
    std::sort(rows.begin(), rows.end());
    return Status::OK();
  }
  std::vector<std::string> rows;
};

}  // namespace strata::engine::test_util
