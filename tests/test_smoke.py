import pytest

from doorstep.portfolio.models import Borrower


@pytest.mark.django_db
def test_import_and_refresh_smoke(write_csv, import_file):
    path = write_csv("borrowers", [{"borrower_id": "B1", "name": "张三", "jurisdiction": "CN"}])
    job = import_file("borrowers", path)
    assert job.status == "succeeded", job.message
    assert Borrower.objects.get(external_id="B1").timezone == "Asia/Shanghai"
