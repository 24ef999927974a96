"""The test suite's own server processes clean up after themselves."""

from __future__ import annotations

from tests.realtime import servers


def test_nginx_started_by_a_test_leaves_no_temporary_folder_behind():
    upstream = f"{servers.LOOPBACK}:{servers.free_port()}"  # nothing needed there
    nginx = servers.Nginx([upstream]).start()
    folder = nginx.tmp
    assert (folder / "nginx.conf").exists()
    nginx.stop()
    assert not folder.exists()


def test_nginx_given_a_folder_leaves_it_to_its_owner(tmp_path):
    nginx = servers.Nginx(
        [f"{servers.LOOPBACK}:{servers.free_port()}"], tmp=tmp_path / "nginx"
    ).start()
    nginx.stop()
    assert (tmp_path / "nginx" / "nginx.conf").exists()
