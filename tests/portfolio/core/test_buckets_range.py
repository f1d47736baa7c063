"""A bucket's DPD band, which the case list filters on instead of the stored bucket name."""

import pytest

from doorstep.portfolio.core.buckets import BucketScheme


@pytest.mark.parametrize(("bucket", "band"), [("M0", (0, 0)), ("M1", (1, 30)), ("M3", (61, 90)), ("M6+", (151, None))])
def test_each_bucket_is_a_dpd_band(bucket, band) -> None:
    assert BucketScheme().dpd_range(bucket) == band


def test_every_dpd_falls_in_the_band_of_its_bucket() -> None:
    scheme = BucketScheme()
    for dpd in range(0, 400):
        low, high = scheme.dpd_range(scheme.bucket_for(dpd))
        assert low <= dpd and (high is None or dpd <= high)


def test_an_unknown_bucket_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown bucket"):
        BucketScheme().dpd_range("M9")
