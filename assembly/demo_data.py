"""The demo assembly: Khon Kaen, 24 November 2566 BE (2023), as seed 002 reports it.

Pure data, no Django imports: a loader turns it into rows. Everything is a frozen
dataclass or a tuple of them; organisations and people refer to each other by the
organisation's ``key``.

Shape::

    ASSEMBLY: AssemblyData
        title_th, title_en, edition: int, date: datetime.date,
        venue_th, venue_en, province_th, province_en, chair_th, chair_en
    ORGANISATIONS: tuple[OrganisationData, ...]          # exactly 65
        key (ascii slug, unique), name_th, name_en, short_name (Thai where one
        exists), sector ("state" | "academic" | "private" | "civil"),
        room (1-4: the breakout room the partner sits in)
    DELEGATES: tuple[DelegateData, ...]
        organisation (an organisation key), name_th, name_en (both with title),
        kind ("voting" | "alternate" | "observer"), phone, email
        Each organisation has exactly one voting delegate, listed first.
    AGENDA: tuple[AgendaItemData, ...]                   # the four items
        number (1-4), room (== number), title_th, title_en, description_th,
        description_en, lead (organisation key: the owning agency),
        co_leads (organisation keys sharing the work, named in the description),
        facilitators: tuple[UserData, ...] (two per room),
        draft: DraftData(preamble_th, clauses_th: tuple[str, ...]) (clause n is
        clauses_th[n - 1]; the text carries no number)
    STAFF: tuple[UserData, ...]        # one lead-agency user per agenda item's lead
    SECRETARIAT: tuple[UserData, ...]  # usernames "secretariat", "secretariat2"
        UserData: username, name_th, name_en, organisation (key or None)

Real people named in the seeds appear with the organisation the seeds give them
(e.g. นางกฤษณา เสมหิรัญ for ศธจ.ขอนแก่น); the facilitators are the World Café
facilitators of seed 003. Everyone else, every phone number and every e-mail
address is invented.

Seed 002 names the NGO "สมาคมไทสิขา"; seed 003 calls it "มูลนิธิไตรสิกขา": one
partner here. The provincial office for the promotion of learning (สกร.) is the
former non-formal education office (กศน.) of seed 003, renamed in 2023.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Literal

Sector = Literal["state", "academic", "private", "civil"]
DelegateKind = Literal["voting", "alternate", "observer"]

SECTORS: tuple[Sector, ...] = ("state", "academic", "private", "civil")
DELEGATE_KINDS: tuple[DelegateKind, ...] = ("voting", "alternate", "observer")
ROOMS: tuple[int, ...] = (1, 2, 3, 4)
CLAUSE_LENGTH = (40, 160)  # characters, inclusive


@dataclass(frozen=True)
class AssemblyData:
    title_th: str
    title_en: str
    edition: int
    date: datetime.date
    venue_th: str
    venue_en: str
    province_th: str
    province_en: str
    chair_th: str
    chair_en: str


@dataclass(frozen=True)
class OrganisationData:
    key: str
    name_th: str
    name_en: str
    short_name: str
    sector: Sector
    room: int


@dataclass(frozen=True)
class DelegateData:
    organisation: str
    name_th: str
    name_en: str
    kind: DelegateKind
    phone: str
    email: str


@dataclass(frozen=True)
class UserData:
    username: str
    name_th: str
    name_en: str
    organisation: str | None = None


@dataclass(frozen=True)
class DraftData:
    preamble_th: str
    clauses_th: tuple[str, ...]


@dataclass(frozen=True)
class AgendaItemData:
    number: int
    title_th: str
    title_en: str
    description_th: str
    description_en: str
    lead: str
    co_leads: tuple[str, ...]
    facilitators: tuple[UserData, ...]
    draft: DraftData

    @property
    def room(self) -> int:
        """Breakout room n discusses agenda item n."""
        return self.number


ASSEMBLY = AssemblyData(
    title_th="สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น ขอนแก่นเมืองแห่งโอกาส",
    title_en="Khon Kaen Assembly for Education Equity — City of Hope",
    edition=1,
    date=datetime.date(2023, 11, 24),
    venue_th="โรงแรมโฆษะ ขอนแก่น",
    venue_en="Hotel Kosa, Khon Kaen",
    province_th="ขอนแก่น",
    province_en="Khon Kaen",
    chair_th="รศ.ดร.กิตติชัย ไตรรัตนศิริชัย",
    chair_en="Assoc. Prof. Dr Kittichai Triratanasirichai",
)


def _org(
    key: str, name_th: str, name_en: str, short: str, sector: Sector, room: int
) -> OrganisationData:
    return OrganisationData(key, name_th, name_en, short, sector, room)


ORGANISATIONS: tuple[OrganisationData, ...] = (
    # Room 1: quality early-childhood development (lead: ศธจ.ขอนแก่น)
    _org(
        "kk-peo",
        "สำนักงานศึกษาธิการจังหวัดขอนแก่น",
        "Khon Kaen Provincial Education Office",
        "ศธจ.ขอนแก่น",
        "state",
        1,
    ),
    _org(
        "kk-dla",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดขอนแก่น",
        "Khon Kaen Provincial Office of Local Administration",
        "สถ.จ.ขอนแก่น",
        "state",
        1,
    ),
    _org(
        "kk-pho",
        "สำนักงานสาธารณสุขจังหวัดขอนแก่น",
        "Khon Kaen Provincial Public Health Office",
        "สสจ.ขอนแก่น",
        "state",
        1,
    ),
    _org(
        "hpc7",
        "ศูนย์อนามัยที่ 7 ขอนแก่น",
        "Regional Health Promotion Centre 7 Khon Kaen",
        "ศอ.7 ขอนแก่น",
        "state",
        1,
    ),
    _org(
        "special-ed-9",
        "ศูนย์การศึกษาพิเศษ เขตการศึกษา 9 จังหวัดขอนแก่น",
        "Special Education Centre, Education Region 9, Khon Kaen",
        "ศูนย์การศึกษาพิเศษ เขต 9",
        "state",
        1,
    ),
    _org(
        "sila-muni",
        "เทศบาลเมืองศิลา",
        "Sila Town Municipality",
        "ทม.ศิลา",
        "state",
        1,
    ),
    _org(
        "chumphae-muni",
        "เทศบาลเมืองชุมแพ",
        "Chum Phae Town Municipality",
        "ทม.ชุมแพ",
        "state",
        1,
    ),
    _org(
        "kk-shelter",
        "บ้านพักเด็กและครอบครัวจังหวัดขอนแก่น",
        "Khon Kaen Children and Family Shelter",
        "บพด.ขอนแก่น",
        "state",
        1,
    ),
    _org(
        "kku-edu",
        "คณะศึกษาศาสตร์ มหาวิทยาลัยขอนแก่น",
        "Faculty of Education, Khon Kaen University",
        "ศษ.มข.",
        "academic",
        1,
    ),
    _org(
        "bcn-kk",
        "วิทยาลัยพยาบาลบรมราชชนนี ขอนแก่น",
        "Boromarajonani College of Nursing, Khon Kaen",
        "วพบ.ขอนแก่น",
        "academic",
        1,
    ),
    _org(
        "ecec-network",
        "เครือข่ายครูปฐมวัยจังหวัดขอนแก่น",
        "Khon Kaen Early Childhood Teachers' Network",
        "เครือข่ายครูปฐมวัย ขก.",
        "academic",
        1,
    ),
    _org(
        "private-schools",
        "สมาคมโรงเรียนเอกชนจังหวัดขอนแก่น",
        "Khon Kaen Private Schools Association",
        "สมาคม ร.ร.เอกชน ขก.",
        "private",
        1,
    ),
    _org(
        "vhv-club",
        "ชมรมอาสาสมัครสาธารณสุขประจำหมู่บ้านจังหวัดขอนแก่น",
        "Khon Kaen Village Health Volunteers' Club",
        "ชมรม อสม.ขอนแก่น",
        "civil",
        1,
    ),
    _org(
        "banwa-council",
        "สภาองค์กรชุมชนตำบลบ้านหว้า",
        "Ban Wa Subdistrict Community Organisations Council",
        "สภาองค์กรชุมชน ต.บ้านหว้า",
        "civil",
        1,
    ),
    _org(
        "health-assembly",
        "สมัชชาสุขภาพจังหวัดขอนแก่น",
        "Khon Kaen Provincial Health Assembly",
        "สมัชชาสุขภาพ ขก.",
        "civil",
        1,
    ),
    _org(
        "rotary-kk",
        "สโมสรโรตารีขอนแก่น",
        "Rotary Club of Khon Kaen",
        "โรตารีขอนแก่น",
        "civil",
        1,
    ),
    # Room 2: learning and work for out-of-school children (lead: สกร.)
    _org(
        "kk-dol",
        "สำนักงานส่งเสริมการเรียนรู้จังหวัดขอนแก่น",
        "Khon Kaen Provincial Office for the Promotion of Learning",
        "สกร.จังหวัดขอนแก่น",
        "state",
        2,
    ),
    _org(
        "kk-pao",
        "องค์การบริหารส่วนจังหวัดขอนแก่น",
        "Khon Kaen Provincial Administrative Organisation",
        "อบจ.ขอนแก่น",
        "state",
        2,
    ),
    _org(
        "kk-msdhs",
        "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดขอนแก่น",
        "Khon Kaen Provincial Office of Social Development and Human Security",
        "พมจ.ขอนแก่น",
        "state",
        2,
    ),
    _org(
        "eef",
        "กองทุนเพื่อความเสมอภาคทางการศึกษา",
        "Equitable Education Fund",
        "กสศ.",
        "state",
        2,
    ),
    _org(
        "kk-labour",
        "สำนักงานแรงงานจังหวัดขอนแก่น",
        "Khon Kaen Provincial Labour Office",
        "แรงงานจังหวัดขอนแก่น",
        "state",
        2,
    ),
    _org(
        "kk-skill",
        "สำนักงานพัฒนาฝีมือแรงงานขอนแก่น",
        "Khon Kaen Skill Development Office",
        "สนพ.ขอนแก่น",
        "state",
        2,
    ),
    _org(
        "kk-vec",
        "สำนักงานอาชีวศึกษาจังหวัดขอนแก่น",
        "Khon Kaen Provincial Vocational Education Office",
        "อศจ.ขอนแก่น",
        "state",
        2,
    ),
    _org(
        "kk-juvenile",
        "สถานพินิจและคุ้มครองเด็กและเยาวชนจังหวัดขอนแก่น",
        "Khon Kaen Juvenile Observation and Protection Centre",
        "สถานพินิจฯ ขอนแก่น",
        "state",
        2,
    ),
    _org(
        "neu",
        "มหาวิทยาลัยภาคตะวันออกเฉียงเหนือ",
        "North-Eastern University",
        "ม.ภาคตะวันออกเฉียงเหนือ",
        "academic",
        2,
    ),
    _org(
        "rmuti-kk",
        "มหาวิทยาลัยเทคโนโลยีราชมงคลอีสาน วิทยาเขตขอนแก่น",
        "Rajamangala University of Technology Isan, Khon Kaen Campus",
        "มทร.อีสาน ขอนแก่น",
        "academic",
        2,
    ),
    _org(
        "kk-chamber",
        "หอการค้าจังหวัดขอนแก่น",
        "Khon Kaen Chamber of Commerce",
        "หอการค้า จ.ขอนแก่น",
        "private",
        2,
    ),
    _org(
        "fti-kk",
        "สภาอุตสาหกรรมจังหวัดขอนแก่น",
        "Federation of Thai Industries, Khon Kaen Chapter",
        "ส.อ.ท.ขอนแก่น",
        "private",
        2,
    ),
    _org(
        "yec-kk",
        "กลุ่มผู้ประกอบการรุ่นใหม่ หอการค้าจังหวัดขอนแก่น",
        "Young Entrepreneur Chamber of Commerce, Khon Kaen",
        "YEC ขอนแก่น",
        "private",
        2,
    ),
    _org(
        "boys-town",
        "มูลนิธิบ้านบอยส์ทาวน์",
        "Boys Town Foundation",
        "บ้านบอยส์ทาวน์",
        "civil",
        2,
    ),
    _org(
        "thaisikkha",
        "สมาคมไทสิขา",
        "Thaisikkha Association",
        "ไทสิขา",
        "civil",
        2,
    ),
    _org(
        "community-enterprise",
        "เครือข่ายวิสาหกิจชุมชนจังหวัดขอนแก่น",
        "Khon Kaen Community Enterprise Network",
        "เครือข่ายวิสาหกิจชุมชน ขก.",
        "civil",
        2,
    ),
    # Room 3: flexible education for at-risk children (lead: สพป.ขอนแก่น เขต 2)
    _org(
        "kk-pesao1",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 1",
        "Khon Kaen Primary Educational Service Area Office 1",
        "สพป.ขอนแก่น เขต 1",
        "state",
        3,
    ),
    _org(
        "kk-pesao2",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 2",
        "Khon Kaen Primary Educational Service Area Office 2",
        "สพป.ขอนแก่น เขต 2",
        "state",
        3,
    ),
    _org(
        "kk-pesao3",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 3",
        "Khon Kaen Primary Educational Service Area Office 3",
        "สพป.ขอนแก่น เขต 3",
        "state",
        3,
    ),
    _org(
        "kk-pesao4",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 4",
        "Khon Kaen Primary Educational Service Area Office 4",
        "สพป.ขอนแก่น เขต 4",
        "state",
        3,
    ),
    _org(
        "kk-pesao5",
        "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาขอนแก่น เขต 5",
        "Khon Kaen Primary Educational Service Area Office 5",
        "สพป.ขอนแก่น เขต 5",
        "state",
        3,
    ),
    _org(
        "kk-sesao",
        "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาขอนแก่น",
        "Khon Kaen Secondary Educational Service Area Office",
        "สพม.ขอนแก่น",
        "state",
        3,
    ),
    _org(
        "kk-buddhism",
        "สำนักงานพระพุทธศาสนาจังหวัดขอนแก่น",
        "Khon Kaen Provincial Office of Buddhism",
        "พศจ.ขอนแก่น",
        "state",
        3,
    ),
    _org(
        "kk-tech",
        "วิทยาลัยเทคนิคขอนแก่น",
        "Khon Kaen Technical College",
        "วท.ขอนแก่น",
        "state",
        3,
    ),
    _org(
        "kkw-school",
        "โรงเรียนขอนแก่นวิทยายน",
        "Khon Kaen Wittayayon School",
        "ร.ร.ขอนแก่นวิทยายน",
        "state",
        3,
    ),
    _org(
        "chumphae-district",
        "ที่ว่าการอำเภอชุมแพ",
        "Chum Phae District Office",
        "อำเภอชุมแพ",
        "state",
        3,
    ),
    _org(
        "kku-rita",
        "สถาบันวิจัยและพัฒนาวิชาชีพครูสำหรับอาเซียน มหาวิทยาลัยขอนแก่น",
        "Research Institute for Teachers in ASEAN, Khon Kaen University",
        "สถาบันวิจัยฯ ครูอาเซียน มข.",
        "academic",
        3,
    ),
    _org(
        "ipsr",
        "สถาบันวิจัยประชากรและสังคม มหาวิทยาลัยมหิดล",
        "Institute for Population and Social Research, Mahidol University",
        "สถาบันวิจัยประชากรฯ ม.มหิดล",
        "academic",
        3,
    ),
    _org(
        "principals-assoc",
        "สมาคมผู้บริหารสถานศึกษาจังหวัดขอนแก่น",
        "Khon Kaen School Administrators' Association",
        "สมาคมผู้บริหารสถานศึกษา ขก.",
        "academic",
        3,
    ),
    _org(
        "bankers-club",
        "ชมรมธนาคารจังหวัดขอนแก่น",
        "Khon Kaen Bankers' Club",
        "ชมรมธนาคาร ขก.",
        "private",
        3,
    ),
    _org(
        "red-cross",
        "เหล่ากาชาดจังหวัดขอนแก่น",
        "Khon Kaen Red Cross Chapter",
        "กาชาดขอนแก่น",
        "civil",
        3,
    ),
    _org(
        "future-skills",
        "มูลนิธิเพื่อทักษะแห่งอนาคต",
        "Future Skills Foundation",
        "มูลนิธิเพื่อทักษะแห่งอนาคต",
        "civil",
        3,
    ),
    _org(
        "parents-teachers",
        "สมาคมผู้ปกครองและครูจังหวัดขอนแก่น",
        "Khon Kaen Parent–Teacher Association",
        "สมาคมผู้ปกครองและครู ขก.",
        "civil",
        3,
    ),
    # Room 4: Khon Kaen Learning City (lead: เทศบาลนครขอนแก่น, with KKTT)
    _org(
        "kk-city",
        "เทศบาลนครขอนแก่น",
        "Khon Kaen City Municipality",
        "ทน.ขอนแก่น",
        "state",
        4,
    ),
    _org(
        "kk-province",
        "สำนักงานจังหวัดขอนแก่น",
        "Khon Kaen Provincial Office",
        "สนจ.ขอนแก่น",
        "state",
        4,
    ),
    _org(
        "kk-cdd",
        "สำนักงานพัฒนาชุมชนจังหวัดขอนแก่น",
        "Khon Kaen Provincial Community Development Office",
        "พช.ขอนแก่น",
        "state",
        4,
    ),
    _org(
        "mueang-district",
        "ที่ว่าการอำเภอเมืองขอนแก่น",
        "Mueang Khon Kaen District Office",
        "อำเภอเมืองขอนแก่น",
        "state",
        4,
    ),
    _org(
        "banphai-muni",
        "เทศบาลเมืองบ้านไผ่",
        "Ban Phai Town Municipality",
        "ทม.บ้านไผ่",
        "state",
        4,
    ),
    _org(
        "watklang-school",
        "โรงเรียนเทศบาลวัดกลาง",
        "Wat Klang Municipal School",
        "ร.ร.เทศบาลวัดกลาง",
        "state",
        4,
    ),
    _org(
        "kku",
        "มหาวิทยาลัยขอนแก่น",
        "Khon Kaen University",
        "มข.",
        "academic",
        4,
    ),
    _org(
        "cas",
        "วิทยาลัยบัณฑิตเอเซีย",
        "College of Asian Scholars",
        "วิทยาลัยบัณฑิตเอเซีย",
        "academic",
        4,
    ),
    _org(
        "folk-teachers",
        "ชมรมครูภูมิปัญญาไทยจังหวัดขอนแก่น",
        "Khon Kaen Thai Wisdom Teachers' Club",
        "ชมรมครูภูมิปัญญาไทย ขก.",
        "academic",
        4,
    ),
    _org(
        "kktt",
        "บริษัท ขอนแก่นพัฒนาเมือง จำกัด",
        "Khon Kaen Think Tank Co., Ltd.",
        "KKTT",
        "private",
        4,
    ),
    _org(
        "kkts",
        "บริษัท ขอนแก่นทรานซิทซิสเต็ม จำกัด",
        "Khon Kaen Transit System Co., Ltd.",
        "KKTS",
        "private",
        4,
    ),
    _org(
        "tourism-assoc",
        "สมาคมส่งเสริมการท่องเที่ยวจังหวัดขอนแก่น",
        "Khon Kaen Tourism Promotion Association",
        "สมาคมท่องเที่ยว ขก.",
        "private",
        4,
    ),
    _org(
        "kk-next-decade",
        "มูลนิธิชุมชนขอนแก่นทศวรรษหน้า",
        "Khon Kaen Next Decade Community Foundation",
        "ขอนแก่นทศวรรษหน้า",
        "civil",
        4,
    ),
    _org(
        "youth-council",
        "สภาเด็กและเยาวชนจังหวัดขอนแก่น",
        "Khon Kaen Provincial Children and Youth Council",
        "สภาเด็กฯ ขอนแก่น",
        "civil",
        4,
    ),
    _org(
        "isaan-record",
        "สำนักข่าวเดอะอีสานเรคคอร์ด",
        "The Isaan Record",
        "The Isaan Record",
        "civil",
        4,
    ),
    _org(
        "media-club",
        "ชมรมสื่อมวลชนจังหวัดขอนแก่น",
        "Khon Kaen Media Club",
        "ชมรมสื่อฯ ขอนแก่น",
        "civil",
        4,
    ),
)

# Who speaks for each partner: (name_th, name_en), the voting delegate first and an
# alternate second where the partner sent two people.
_ROSTER: dict[str, tuple[tuple[str, str], ...]] = {
    # room 1
    "kk-peo": (
        ("นางกฤษณา เสมหิรัญ", "Mrs Kritsana Semhiran"),
        ("นางสาวพิมพ์ชนก ศรีสุวรรณ", "Ms Phimchanok Srisuwan"),
    ),
    "kk-dla": (
        ("นายอนุชา ภูมิสายดร", "Mr Anucha Phumsaidon"),
        ("นางวาสนา แก้วประเสริฐ", "Mrs Wassana Kaewprasert"),
    ),
    "kk-pho": (
        ("นายธีระพงษ์ แสนโคตร", "Mr Theeraphong Saenkhot"),
        ("นางสาวกาญจนา พลราชม", "Ms Kanchana Phonratchom"),
    ),
    "hpc7": (("ดร.ศิริพร ทองดี", "Dr Siriphon Thongdee"),),
    "special-ed-9": (
        ("นางจันทร์เพ็ญ บุญศรี", "Mrs Chanphen Boonsri"),
        ("นายวีรยุทธ ชาญนอก", "Mr Weerayut Channok"),
    ),
    "sila-muni": (("นายประสิทธิ์ ศรีวงษ์ชัย", "Mr Prasit Sriwongchai"),),
    "chumphae-muni": (("นายชาญวิทย์ หอมสมบัติ", "Mr Chanwit Homsombat"),),
    "kk-shelter": (("นางสาวอรทัย มูลมณี", "Ms Orathai Moonmanee"),),
    "kku-edu": (("รศ.ดร.สุภาพร ชินชัย", "Assoc. Prof. Dr Supaporn Chinchai"),),
    "bcn-kk": (
        ("ดร.นงลักษณ์ วิชัยดิษฐ", "Dr Nonglak Wichaidit"),
        ("นางสาวปาริชาติ อุดมศักดิ์", "Ms Parichat Udomsak"),
    ),
    "ecec-network": (("นางบุษบา ไชยคำ", "Mrs Butsaba Chaiyakham"),),
    "private-schools": (
        ("นายวิโรจน์ ตั้งสกุลวัฒนา", "Mr Wiroj Tangsakunwatthana"),
        ("นางสาวศุภลักษณ์ เหลืองอ่อน", "Ms Suphalak Lueang-on"),
    ),
    "vhv-club": (("นางทองใบ พิมพ์ศรี", "Mrs Thongbai Phimsri"),),
    "banwa-council": (
        ("นายสมบัติ ดวงมาลา", "Mr Sombat Duangmala"),
        ("นางคำปุน ศรีหาวงศ์", "Mrs Khampun Srihawong"),
    ),
    "health-assembly": (("นายเกรียงไกร ภูผาทอง", "Mr Kriangkrai Phuphathong"),),
    "rotary-kk": (("นางสาวปิยะนุช ธนพัฒน์", "Ms Piyanut Thanaphat"),),
    # room 2
    "kk-dol": (
        ("นายสุทธิพงษ์ เรืองศรี", "Mr Sutthiphong Rueangsri"),
        ("นางสาวนันทนา บุตรดี", "Ms Nanthana Butdee"),
    ),
    "kk-pao": (
        ("นายอภิชาติ นามวงศ์", "Mr Aphichat Namwong"),
        ("นางสาวจิราพร โสภาพันธ์", "Ms Jiraporn Sophaphan"),
    ),
    "kk-msdhs": (
        ("นางสุนันทา แสงสว่าง", "Mrs Sunantha Saengsawang"),
        ("นายกิตติพงษ์ คำภูแสน", "Mr Kittiphong Khamphusaen"),
    ),
    "eef": (("นายพัฒนะพงษ์ สุขมะดัน", "Mr Phatthanaphong Sukmadan"),),
    "kk-labour": (("นายณัฐวุฒิ พรมมา", "Mr Natthawut Phromma"),),
    "kk-skill": (("นายอดิศักดิ์ ศรีบุญเรือง", "Mr Adisak Sriboonrueang"),),
    "kk-vec": (
        ("ดร.ชัยวัฒน์ โคตรสมบัติ", "Dr Chaiwat Khotsombat"),
        ("นางรัชนี อินทรสุวรรณ", "Mrs Ratchanee Intharasuwan"),
    ),
    "kk-juvenile": (("นางสาวเบญจวรรณ ศรีเมือง", "Ms Benjawan Srimueang"),),
    "neu": (("ผศ.ดร.ธนากร วงศ์ไชยา", "Asst. Prof. Dr Thanakorn Wongchaiya"),),
    "rmuti-kk": (
        ("ดร.ปรีชา ทองคำ", "Dr Preecha Thongkham"),
        ("นายศักดิ์ชัย ภูเงิน", "Mr Sakchai Phu-ngoen"),
    ),
    "kk-chamber": (
        ("นายวีระศักดิ์ เหล่าวัฒนา", "Mr Weerasak Laowatthana"),
        ("นางสาวณิชาภัทร ตั้งใจดี", "Ms Nichaphat Tangjaidee"),
    ),
    "fti-kk": (("นายธีรวัฒน์ อุ่นเรือน", "Mr Theerawat Unruean"),),
    "yec-kk": (("นายภาณุพงศ์ จันทร์หอม", "Mr Phanuphong Chanhom"),),
    "boys-town": (
        ("นายไพโรจน์ บุญมาก", "Mr Phairoj Boonmak"),
        ("นางสาวสุดารัตน์ พลอยงาม", "Ms Sudarat Ploy-ngam"),
    ),
    "thaisikkha": (
        ("นางสาวกนกวรรณ ศรีไพร", "Ms Kanokwan Sriphrai"),
        ("นายธนพล อ่อนศรี", "Mr Thanaphon Onsri"),
    ),
    "community-enterprise": (("นายบุญมี สีหาราช", "Mr Boonmee Siharat"),),
    # room 3
    "kk-pesao1": (
        ("นายสมชาย ปัญญาวงค์", "Mr Somchai Panyawong"),
        ("นางสาวอัญชลี ศรีสุข", "Ms Anchalee Srisuk"),
    ),
    "kk-pesao2": (
        ("ดร.วิชัย แสนสุข", "Dr Wichai Saensuk"),
        ("นางพรทิพย์ ชาวนา", "Mrs Phonthip Chaona"),
    ),
    "kk-pesao3": (("นายสุริยา บุญประเสริฐ", "Mr Suriya Boonprasert"),),
    "kk-pesao4": (("นางเยาวลักษณ์ ศรีโยธา", "Mrs Yaowalak Sriyotha"),),
    "kk-pesao5": (("นายไพบูลย์ คำมุงคุณ", "Mr Phaiboon Khammungkhun"),),
    "kk-sesao": (
        ("ดร.จักรพันธ์ ศิริโชติ", "Dr Chakkaphan Sirichot"),
        ("นางสาวสุภาวดี พิลาแดง", "Ms Suphawadee Philadaeng"),
    ),
    "kk-buddhism": (("นายชยพล สุวรรณศรี", "Mr Chayaphon Suwannasri"),),
    "kk-tech": (("นายสมพร แก่นจันทร์", "Mr Somphon Kaenchan"),),
    "kkw-school": (
        ("นางมยุรี ทองประเสริฐ", "Mrs Mayuree Thongprasert"),
        ("นายเอกชัย ศรีลาชัย", "Mr Ekkachai Srilachai"),
    ),
    "chumphae-district": (("นายศุภชัย ไชยสงคราม", "Mr Suphachai Chaisongkhram"),),
    "kku-rita": (
        ("รศ.ดร.อรุณี จันทร์แสง", "Assoc. Prof. Dr Arunee Chansaeng"),
        ("ดร.ธีรยุทธ สิงห์ทอง", "Dr Theerayut Singthong"),
    ),
    "ipsr": (("รศ.ดร.ปิยวัฒน์ เกตุวงศา", "Assoc. Prof. Dr Piyawat Katewongsa"),),
    "principals-assoc": (("นายบรรจง พลสวัสดิ์", "Mr Banjong Phonsawat"),),
    "bankers-club": (
        ("นายกฤษดา เจริญผล", "Mr Kritsada Charoenphon"),
        ("นางสาวพัชรินทร์ แสงทอง", "Ms Phatcharin Saengthong"),
    ),
    "red-cross": (("นางดวงใจ อุปัชฌาย์", "Mrs Duangjai Upatcha"),),
    "future-skills": (("นางสาวธิดารัตน์ ใจมั่น", "Ms Thidarat Jaiman"),),
    "parents-teachers": (("นายวันชัย ศรีนวล", "Mr Wanchai Srinuan"),),
    # room 4
    "kk-city": (
        ("นายสุรพล ศรีสมบูรณ์", "Mr Suraphon Srisomboon"),
        ("นางสาววราภรณ์ ภูมิพันธ์", "Ms Waraporn Phumiphan"),
    ),
    "kk-province": (("นายปิยะ ธนสาร", "Mr Piya Thanasan"),),
    "kk-cdd": (("นางอุไรวรรณ นาคสุข", "Mrs Uraiwan Naksuk"),),
    "mueang-district": (("นายชัยณรงค์ บุญเรือง", "Mr Chainarong Boonrueang"),),
    "banphai-muni": (("นายสุรเชษฐ์ คงสวัสดิ์", "Mr Surachet Khongsawat"),),
    "watklang-school": (("นางสาวรุ่งนภา วงศ์คำ", "Ms Rungnapha Wongkham"),),
    "kku": (("ดร.วิตติกา ทางชั้น", "Dr Wittika Thangchan"),),
    "cas": (("ดร.อนันต์ พรหมสุวรรณ", "Dr Anan Phromsuwan"),),
    "folk-teachers": (("นายคำพันธ์ ไชยศรี", "Mr Khamphan Chaiyasri"),),
    "kktt": (
        ("นายอนุวัฒน์ ลิมปิโชติ", "Mr Anuwat Limpichot"),
        ("นางสาวชนิดา วัฒนสิน", "Ms Chanida Watthanasin"),
    ),
    "kkts": (("นายพีระพงษ์ อนันต์ชัย", "Mr Pheeraphong Ananchai"),),
    "tourism-assoc": (("นางปวีณา เลิศวิริยะ", "Mrs Paweena Loetwiriya"),),
    "kk-next-decade": (
        ("นายเจริญลักษณ์ เพ็ชรประดับ", "Mr Charoenlak Phetpradap"),
        ("นางสาวศิริรัตน์ โพธิ์ศรี", "Ms Sirirat Phosri"),
    ),
    "youth-council": (
        ("นายธนกฤต ศรีจันทร์", "Mr Thanakrit Srichan"),
        ("นางสาวปภาวรินทร์ ภูสมศรี", "Ms Paphawarin Phusomsri"),
    ),
    "isaan-record": (("นางสาวณัฐธิดา บุญยืน", "Ms Natthida Boonyuen"),),
    "media-club": (("นายสมศักดิ์ ชาวดอน", "Mr Somsak Chaodon"),),
}

# Observers follow the day without a vote: the education expert and the EEF board
# member of seeds 002/003, and the KKU news writer of seed 004.
_OBSERVERS: tuple[tuple[str, str, str], ...] = (
    ("kku-edu", "ผศ.ดร.ไพศาล สุวรรณน้อย", "Asst. Prof. Dr Paisan Suwannoi"),
    ("eef", "ดร.สมพงษ์ จิตระดับ", "Dr Sompong Jitradub"),
    ("kku", "นายพีรณัฐ เอี่ยมทอง", "Mr Peeranat Iamthong"),
)

_PHONE_PREFIXES = ("081", "082", "083", "084", "085", "086", "087", "089")


def _phone(n: int) -> str:
    """A made-up mobile number, distinct for each n below 400."""
    return f"{_PHONE_PREFIXES[n % 8]}-{500 + n:03d}-{(n * 7919 + 1234) % 10000:04d}"


def _email(name_en: str, organisation: str) -> str:
    """given.f@<organisation>.example.org, from the last two words of the name."""
    given, family = name_en.split()[-2:]
    return f"{given}.{family[0]}@{organisation}.example.org".lower()


def _delegates() -> tuple[DelegateData, ...]:
    rows: list[tuple[str, str, str, DelegateKind]] = []
    for org in ORGANISATIONS:
        for position, (name_th, name_en) in enumerate(_ROSTER[org.key]):
            rows.append(
                (org.key, name_th, name_en, "voting" if position == 0 else "alternate")
            )
    rows.extend((key, th, en, "observer") for key, th, en in _OBSERVERS)
    return tuple(
        DelegateData(key, th, en, kind, _phone(n), _email(en, key))
        for n, (key, th, en, kind) in enumerate(rows, start=1)
    )


DELEGATES: tuple[DelegateData, ...] = _delegates()

_PREAMBLE = (
    "สมัชชาการศึกษาเพื่อความเสมอภาคจังหวัดขอนแก่น ครั้งที่ 1 "
    "ได้พิจารณาระเบียบวาระเรื่อง {title} {context} จึงมีมติดังนี้"
)

AGENDA: tuple[AgendaItemData, ...] = (
    AgendaItemData(
        number=1,
        title_th="การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ",
        title_en="Quality early-childhood development",
        description_th=(
            "การดูแลเด็กปฐมวัยให้ได้รับพัฒนาการเรียนรู้ตามช่วงวัยที่เหมาะสม "
            "มีโภชนาการและสุขภาวะที่ดี สำนักงานศึกษาธิการจังหวัดขอนแก่น"
            "เป็นผู้รับผิดชอบหลัก"
        ),
        description_en=(
            "Helping young children learn as their age requires, well fed and "
            "healthy. Lead: Khon Kaen Provincial Education Office."
        ),
        lead="kk-peo",
        co_leads=(),
        facilitators=(
            UserData("chutima.y", "นางสาวชุติมา อยู่สมบูรณ์", "Ms Chutima Yusomboon"),
            UserData("mallika.c", "นางสาวมัลลิกา ชนะภัย", "Ms Mallika Chanaphai"),
        ),
        draft=DraftData(
            preamble_th=_PREAMBLE.format(
                title="การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ",
                context="ตระหนักว่าช่วงปฐมวัยเป็นรากฐานของการเรียนรู้ตลอดชีวิต",
            ),
            clauses_th=(
                "ให้สำนักงานศึกษาธิการจังหวัดขอนแก่นเป็นหน่วยงานหลัก "
                "ร่วมกับท้องถิ่นจังหวัดและสาธารณสุขจังหวัด "
                "จัดทำข้อมูลเด็กปฐมวัยรายบุคคลให้ครอบคลุมทั้ง 26 อำเภอ",
                "ให้ศูนย์พัฒนาเด็กเล็กและสถานศึกษาปฐมวัยทุกสังกัด "
                "จัดประสบการณ์การเรียนรู้ตามช่วงวัยที่เหมาะสม โดยใช้การเล่นเป็นฐาน",
                "ให้สำนักงานสาธารณสุขจังหวัดขอนแก่นร่วมกับองค์กรปกครองส่วนท้องถิ่น "
                "เฝ้าระวังภาวะโภชนาการและพัฒนาการของเด็กปฐมวัย "
                "และส่งต่อเด็กที่มีความเสี่ยงโดยเร็ว",
                "ให้องค์กรปกครองส่วนท้องถิ่นจัดอาหารกลางวันและอาหารเสริม (นม) "
                "สำหรับเด็กปฐมวัยอย่างเพียงพอตามหลักโภชนาการ",
                "ให้พัฒนาศักยภาพครูและผู้ดูแลเด็กปฐมวัย ในการคัดกรองพัฒนาการ "
                "การจัดประสบการณ์การเรียนรู้ และการทำงานร่วมกับพ่อแม่ผู้ปกครอง",
                "ให้ส่งเสริมบทบาทของบ้าน วัด โรงเรียน และชุมชน "
                "ในการเลี้ยงดูและเฝ้าระวังพัฒนาการของเด็กปฐมวัยร่วมกัน",
            ),
        ),
    ),
    AgendaItemData(
        number=2,
        title_th="การสร้างโอกาสการเรียนและการมีงานของเด็กนอกระบบ",
        title_en="Learning and work opportunities for out-of-school children",
        description_th=(
            "จังหวัดขอนแก่นมีเด็กและเยาวชนอายุต่ำกว่า 18 ปีอยู่นอกระบบการศึกษา "
            "ประมาณ 19,000 คน ซึ่งต้องการโอกาสทั้งการเรียนและการมีงานทำ "
            "สำนักงานส่งเสริมการเรียนรู้จังหวัดขอนแก่นเป็นผู้รับผิดชอบหลัก"
        ),
        description_en=(
            "About 19,000 children and young people under 18 in Khon Kaen are out "
            "of school and need a way back to learning and into work. Lead: Khon "
            "Kaen Provincial Office for the Promotion of Learning."
        ),
        lead="kk-dol",
        co_leads=(),
        facilitators=(
            UserData("panya.c", "นายปัญญา ชูเลิศ", "Mr Panya Chuloet"),
            UserData("thipphaphon.w", "นางสาวทิพย์ภาพร วังคีรี", "Ms Thipphaphon Wangkhiri"),
        ),
        draft=DraftData(
            preamble_th=_PREAMBLE.format(
                title="การสร้างโอกาสการเรียนและการมีงานของเด็กนอกระบบ",
                context=(
                    "รับทราบว่าจังหวัดขอนแก่นมีเด็กและเยาวชนอายุต่ำกว่า 18 ปี "
                    "อยู่นอกระบบการศึกษาประมาณ 19,000 คน"
                ),
            ),
            clauses_th=(
                "ให้สำนักงานส่งเสริมการเรียนรู้จังหวัดขอนแก่นเป็นหน่วยงานหลัก "
                "ค้นหาและจัดทำข้อมูลเด็กและเยาวชนนอกระบบการศึกษารายบุคคลทั้ง 26 อำเภอ",
                "ให้ใช้กลไก 4-3-3-1 KK-Model ในการค้นหา ช่วยเหลือเบื้องต้น และส่งต่อ "
                "โดยมีผู้จัดการรายกรณี (CM) ดูแลเด็กแต่ละคนอย่างต่อเนื่อง",
                "ให้จัดหลักสูตรการเรียนรู้ที่ยืดหยุ่น เทียบโอนผลการเรียนและประสบการณ์ได้ "
                "เพื่อให้เด็กนอกระบบได้รับวุฒิการศึกษาควบคู่กับการทำงาน",
                "ให้หอการค้าจังหวัดขอนแก่น สภาอุตสาหกรรมจังหวัด และสถานประกอบการ "
                "ร่วมจัดการฝึกอาชีพ ฝึกงาน และจ้างงานเยาวชนนอกระบบ",
                "ให้สถานศึกษาอาชีวศึกษาและหน่วยงานพัฒนาฝีมือแรงงาน "
                "เปิดเส้นทางการเรียนสายอาชีพระยะสั้นที่นำไปสู่การมีงานทำและรายได้",
            ),
        ),
    ),
    AgendaItemData(
        number=3,
        title_th=("การจัดการศึกษาที่ยืดหยุ่นเพื่อป้องกันเด็กกลุ่มเสี่ยงหลุดออกจากระบบการศึกษา"),
        title_en="Flexible education to keep at-risk children in school",
        description_th=(
            "การจัดการเรียนรู้ที่ยืดหยุ่นให้เด็กกลุ่มเสี่ยงได้เรียนต่อจนจบ "
            "สพป.ขอนแก่น เขต 2 เป็นผู้รับผิดชอบหลัก ร่วมกับ สพป.ขอนแก่น เขต 1–5 "
            "และ สพม.ขอนแก่น"
        ),
        description_en=(
            "Flexible schooling so that children at risk of dropping out stay and "
            "finish. Lead: Khon Kaen Primary Educational Service Area Office 2, with "
            "primary areas 1–5 and the Khon Kaen Secondary Educational Service Area "
            "Office."
        ),
        lead="kk-pesao2",
        co_leads=("kk-pesao1", "kk-pesao3", "kk-pesao4", "kk-pesao5", "kk-sesao"),
        facilitators=(
            UserData("narakorn.w", "นายณรากร วงษ์สิงห์", "Mr Narakorn Wongsing"),
            UserData("nattaporn.n", "นางสาวณัฐพร นิลวัตถา", "Ms Nattaporn Ninwattha"),
        ),
        draft=DraftData(
            preamble_th=_PREAMBLE.format(
                title=("การจัดการศึกษาที่ยืดหยุ่นเพื่อป้องกันเด็กกลุ่มเสี่ยงหลุดออกจากระบบการศึกษา"),
                context="มุ่งให้เด็กทุกคนได้เรียนต่อเนื่องจนจบการศึกษา",
            ),
            clauses_th=(
                "ให้ สพป.ขอนแก่น เขต 1–5 และ สพม.ขอนแก่น ใช้ข้อมูลของครูประจำชั้น "
                "คัดกรองเด็กกลุ่มเสี่ยงหลุดออกจากระบบการศึกษาทุกภาคเรียน",
                "ให้สถานศึกษาจัดการเรียนรู้ที่ยืดหยุ่นด้านเวลา สถานที่ และวิธีการ "
                "สำหรับเด็กที่ต้องทำงานช่วยเหลือครอบครัว",
                "ให้ส่งต่อเด็กกลุ่มเสี่ยงไปยังโรงเรียนพระปริยัติธรรม "
                "โรงเรียนราชประชานุเคราะห์ และภาคีเครือข่าย "
                "เมื่อการช่วยเหลือในโรงเรียนเดิมไม่เพียงพอ",
                "ให้ส่งเสริมโรงเรียนขนาดเล็กและขนาดกลางเป็นโรงเรียนพัฒนาตนเอง "
                "ที่ดูแลช่วยเหลือเด็กสอดคล้องกับบริบทของชุมชน",
                "ให้ภาคเอกชนร่วมสนับสนุนทุนการศึกษา อุปกรณ์การเรียน และของใช้จำเป็น "
                "ผ่านกองทุน 10 บาทสร้างโอกาสให้น้อง",
            ),
        ),
    ),
    AgendaItemData(
        number=4,
        title_th="ขอนแก่นเมืองแห่งการเรียนรู้ (Learning City) เมืองแห่งโอกาส",
        title_en="Khon Kaen Learning City, city of opportunity",
        description_th=(
            "การสร้างระบบนิเวศที่เอื้อต่อการเรียนรู้ตลอดชีวิตของคนทุกช่วงวัย "
            "เทศบาลนครขอนแก่นเป็นผู้รับผิดชอบหลัก ร่วมกับบริษัท ขอนแก่นพัฒนาเมือง "
            "จำกัด (KKTT)"
        ),
        description_en=(
            "A city whose places and networks support learning at every age. Lead: "
            "Khon Kaen City Municipality, with Khon Kaen Think Tank (KKTT)."
        ),
        lead="kk-city",
        co_leads=("kktt",),
        facilitators=(
            UserData("danusorn.p", "นายดนุสรณ์ โพธารินทร์", "Mr Danusorn Photharin"),
            UserData("rattana.d", "นางสาวรัตนา ด้วยดี", "Ms Rattana Duaidee"),
        ),
        draft=DraftData(
            preamble_th=_PREAMBLE.format(
                title="ขอนแก่นเมืองแห่งการเรียนรู้ (Learning City) เมืองแห่งโอกาส",
                context=("มุ่งสร้างระบบนิเวศที่เอื้อต่อการเรียนรู้ตลอดชีวิตของคนทุกช่วงวัย"),
            ),
            clauses_th=(
                "ให้เทศบาลนครขอนแก่นร่วมกับบริษัท ขอนแก่นพัฒนาเมือง จำกัด "
                "เป็นหน่วยงานหลัก จัดทำแผนขับเคลื่อนขอนแก่นเมืองแห่งการเรียนรู้ระยะ 3 ปี",
                "ให้เชื่อมโยงข้อมูลด้านเด็กและเยาวชน 129 ชุดข้อมูลของหน่วยงานต่าง ๆ "
                "เป็นฐานข้อมูลเดียวกัน เพื่อใช้วางแผนและติดตามผลร่วมกัน",
                "ให้พัฒนาห้องสมุด พิพิธภัณฑ์ พื้นที่สาธารณะ และแหล่งเรียนรู้ในชุมชน "
                "ให้ปลอดภัยและเข้าถึงได้สำหรับคนทุกช่วงวัย",
                "ให้บูรณาการทุนวัฒนธรรม ทุนท้องถิ่น และนวัตกรรมเทคโนโลยี "
                "ในการจัดการเรียนรู้ตลอดชีวิต ร่วมกับสถาบันการศึกษาและภาคเอกชน",
                "ให้ภาคีเครือข่ายร่วมเฝ้าระวัง ติดตาม ประเมินผล "
                "และเผยแพร่ความก้าวหน้าต่อสาธารณะ พร้อมรายงานต่อสมัชชาในครั้งถัดไป",
            ),
        ),
    ),
)

STAFF: tuple[UserData, ...] = (
    UserData(
        "staff-kk-peo", "นางสาวภัทราพร สมบัติทอง", "Ms Phatthraphon Sombatthong", "kk-peo"
    ),
    UserData("staff-kk-dol", "นายจิรายุ คำแก้ว", "Mr Jirayu Khamkaew", "kk-dol"),
    UserData(
        "staff-kk-pesao2",
        "นางศรีสุดา ปัดถาวะโร",
        "Mrs Srisuda Patthawaro",
        "kk-pesao2",
    ),
    UserData("staff-kk-city", "นายวรวุฒิ ทองมา", "Mr Worawut Thongma", "kk-city"),
)

SECRETARIAT: tuple[UserData, ...] = (
    UserData(
        "secretariat", "นางสาวอรอุมา แก้วมณี", "Ms Orn-uma Kaewmanee", "kk-next-decade"
    ),
    UserData("secretariat2", "นายธนวัฒน์ ศรีภูมิ", "Mr Thanawat Sriphum", "kk-next-decade"),
)


def organisations_by_key() -> dict[str, OrganisationData]:
    """Every organisation, indexed by its key."""
    return {org.key: org for org in ORGANISATIONS}


def _unique(values: list[str], what: str) -> None:
    repeated = sorted(v for v, count in Counter(values).items() if count > 1)
    assert not repeated, f"duplicate {what}: {repeated}"


def validate() -> None:
    """Assert the invariants the loader relies on; raises AssertionError if broken."""
    orgs = organisations_by_key()
    assert len(ORGANISATIONS) == 65, f"{len(ORGANISATIONS)} organisations, not 65"
    _unique([o.key for o in ORGANISATIONS], "organisation keys")
    _unique([o.name_th for o in ORGANISATIONS], "Thai organisation names")
    _unique([o.name_en for o in ORGANISATIONS], "English organisation names")
    _unique([o.short_name for o in ORGANISATIONS], "short names")
    for org in ORGANISATIONS:
        assert org.key.isascii() and org.key == org.key.lower(), org.key
        assert org.sector in SECTORS, f"{org.key}: sector {org.sector!r}"
        assert org.room in ROOMS, f"{org.key}: room {org.room!r}"
        assert org.name_th and org.name_en and org.short_name, org.key
    assert {o.sector for o in ORGANISATIONS} == set(SECTORS), "a sector is missing"
    assert {o.room for o in ORGANISATIONS} == set(ROOMS), "a room is empty"

    assert set(_ROSTER) == set(orgs), "roster and organisations disagree"
    for delegate in DELEGATES:
        assert delegate.organisation in orgs, delegate.organisation
        assert delegate.kind in DELEGATE_KINDS, delegate.kind
    voting = Counter(d.organisation for d in DELEGATES if d.kind == "voting")
    for key in orgs:
        assert voting[key] == 1, f"{key} has {voting[key]} voting delegates"
    _unique([d.phone for d in DELEGATES], "phone numbers")
    _unique([d.email for d in DELEGATES], "e-mail addresses")

    assert [item.number for item in AGENDA] == [1, 2, 3, 4]
    users = [u for item in AGENDA for u in item.facilitators] + [*STAFF, *SECRETARIAT]
    _unique([u.username for u in users], "usernames")
    people = [d.name_th for d in DELEGATES] + [u.name_th for u in users]
    _unique(people, "Thai person names")
    _unique([d.name_en for d in DELEGATES] + [u.name_en for u in users], "names")
    leads = {item.lead for item in AGENDA}
    for item in AGENDA:
        assert len(item.facilitators) == 2, f"item {item.number}: facilitators"
        for key in (item.lead, *item.co_leads):
            assert orgs[key].room == item.room, f"{key} is not in room {item.room}"
        assert 4 <= len(item.draft.clauses_th) <= 6, f"item {item.number}: clauses"
        assert "มีมติดังนี้" in item.draft.preamble_th, f"item {item.number}: preamble"
        low, high = CLAUSE_LENGTH
        for clause in item.draft.clauses_th:
            assert low <= len(clause) <= high, f"clause of {len(clause)}: {clause}"
    assert {u.organisation for u in STAFF} == leads, "one staff user per lead agency"
    assert [u.username for u in SECRETARIAT] == ["secretariat", "secretariat2"]
    for user in [*STAFF, *SECRETARIAT]:
        assert user.organisation in orgs, user.username
