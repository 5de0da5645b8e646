#include "metadata/metadata_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace strata::metadata {
namespace {

class MetadataStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("strata_md_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "metadata.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  TaskRecord Task(const std::string& id, int64_t created, const std::string& status) {
    TaskRecord t;
    t.id = id;
    t.group_id = id;
    t.type = "query_controller";
    t.datasource = "wiki";
    t.created_time = created;
    t.status = status;
    t.payload = "{}";
    return t;
  }

  SegmentRecord Segment(const std::string& id, const std::string& version) {
    SegmentRecord s;
    s.id = id;
    s.datasource = "wiki";
    s.start = 0;
    s.end = 86400000;
    s.version = version;
    s.num_rows = 10;
    s.payload = "{}";
    return s;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(MetadataStoreTest, TasksRoundTripAndSurviveReopen) {
  {
    auto store = MetadataStore::OpenSqlite(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->InsertTask(Task("t1", 100, "RUNNING")).ok());
    ASSERT_TRUE((*store)->InsertTask(Task("t2", 200, "RUNNING")).ok());
    EXPECT_EQ((*store)->InsertTask(Task("t1", 300, "RUNNING")).code(), StatusCode::kAlreadyExists);
    ASSERT_TRUE((*store)->UpdateTaskStatus("t1", "FAILED", 55, std::string("Canceled: x")).ok());
    ASSERT_TRUE((*store)->SetTaskReport("t1", R"({"r":1})").ok());
    EXPECT_EQ((*store)->UpdateTaskStatus("nope", "FAILED", 1, std::nullopt).code(), StatusCode::kNotFound);
  }
  auto store = MetadataStore::OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  auto t1 = (*store)->GetTask("t1");
  ASSERT_TRUE(t1.ok() && t1->has_value());
  EXPECT_EQ((*t1)->status, "FAILED");
  EXPECT_EQ((*t1)->duration, 55);
  EXPECT_EQ((*t1)->error_msg, std::optional<std::string>("Canceled: x"));
  EXPECT_EQ(*(*store)->GetTaskReport("t1"), std::optional<std::string>(R"({"r":1})"));
  EXPECT_FALSE((*(*store)->GetTaskReport("t2")).has_value());
  EXPECT_FALSE((*(*store)->GetTask("zzz")).has_value());

  TaskFilter running;
  running.complete = false;
  auto list = (*store)->ListTasks(running);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, "t2");
  auto all = (*store)->ListTasks(TaskFilter{});
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, "t2");  // newest first
}

TEST_F(MetadataStoreTest, PublishIsAtomic) {
  auto store = MetadataStore::OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  MetadataStore& md = **store;
  ASSERT_TRUE(md.PublishSegments({Segment("s_v1", "v1")}, {}).ok());
  int64_t gen = md.segments_generation();
  // Replacing with v2 marks v1 unused in the same transaction.
  ASSERT_TRUE(md.PublishSegments({Segment("s_v2", "v2"), Segment("s_v2_1", "v2")}, {"s_v1"}).ok());
  EXPECT_GT(md.segments_generation(), gen);
  auto used = md.ListSegments("wiki", false);
  ASSERT_EQ(used->size(), 2u);
  EXPECT_EQ((*used)[0].version, "v2");
  // A conflicting publish changes nothing: s_v3 is not inserted and s_v2 stays used.
  Status s = md.PublishSegments({Segment("s_v3", "v3"), Segment("s_v2", "v3")}, {"s_v2", "s_v2_1"});
  EXPECT_EQ(s.code(), StatusCode::kConflict);
  used = md.ListSegments("wiki", false);
  ASSERT_EQ(used->size(), 2u);
  auto everything = md.ListSegments("", true);
  EXPECT_EQ(everything->size(), 3u);
}

}  // namespace
}  // namespace strata::metadata
