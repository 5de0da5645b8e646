import time
from seed_query import SEED_CONTEXT, seed_query
def test_x(server, client, file_server):
    data = open(file_server.root / "wikipedia.json", "rb").read().splitlines(keepends=True)[:300]
    file_server.add_file("small.json", b"".join(data))
    uri = file_server.slow_url("small.json", 30, "timing3")
    task_id = client.submit_task_id(seed_query(uri, "cancel_me"), SEED_CONTEXT)
    file_server.wait_for_request(uri); client.wait_until_running(task_id)
    time.sleep(0.5)
    t0=time.monotonic(); server.stop(); print("stopped", time.monotonic()-t0)
    server.start(); print(client.task_status(task_id).json())
