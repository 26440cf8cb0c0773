"""Demo discussions for ``flask forum seed --demo``: realistic threads in Swedish and English.

Every first post ends with a note that it is demo content. Idempotent: a thread whose title
already exists is left alone. Authors are the demo accounts of ``forum.accounts.demo``.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from ..accounts.demo import demo_user
from ..clock import utcnow
from ..core import queries as core_queries
from . import service
from .models import Post, Thread

NOTE_SV = "\n\n*Exempelinnehåll (demo) för att visa hur forumet fungerar.*"
NOTE_EN = "\n\n*Demo content, written to show how the forum works.*"

# theme slug, author key, title, body, language, SDG numbers, days ago, replies, flags
DEMO_THREADS = [
    {
        "theme": "klimatneutral-framtid",
        "author": "member",
        "language": "sv",
        "goals": [7, 11, 13],
        "days": 12,
        "title": "Hur följer ni upp Klimatkontrakt Hyllie i praktiken?",
        "body": "Vi förvaltar flera hus i Hyllie och vill förstå hur uppföljningen av **klimatkontraktet** "
        "går till. Vem samlar in energidata, och hur ofta?\n\n- Mäter ni per byggnad eller per kvarter?\n"
        "- Hur hanteras fastigheter som inte har egen solel?",
        "replies": [
            (
                "admin",
                "Kontraktet mellan staden och energi- och VA-bolagen följs upp i en gemensam styrgrupp. "
                "Vi samlar in energidata per byggnad en gång per år och redovisar per kvarter, så att ingen "
                "enskild hyresgäst går att identifiera.\n\nHus utan egen solel räknas in via avtal om "
                "förnybar el; det står i bilaga 2.",
                10,
                "solution",
            ),
            (
                "member2",
                "In our housing association we found the yearly figures came too late to change anything. "
                "Monthly meter readings shared on a simple dashboard helped residents much more.",
                9,
                None,
            ),
            (
                "member",
                "Tack båda! Vi provar månadsvis uppföljning under nästa eldningssäsong.",
                8,
                None,
            ),
        ],
        "flags": {"featured": True},
    },
    {
        "theme": "klimatneutral-framtid",
        "author": "member2",
        "language": "en",
        "goals": [12],
        "days": 7,
        "title": "Textile sorting at scale: what did Siptex teach us?",
        "body": "Siptex showed that automated sorting of textiles by fibre type is possible. For those of you "
        "who followed it closely: what was the hardest part, the **technology** or the **flows** of "
        "used clothes into the plant?",
        "replies": [
            (
                "admin",
                "Flödena, utan tvekan. Tekniken fungerade, men det krävdes avtal med insamlare och köpare "
                "av sorterade fibrer innan volymerna blev stabila.",
                6,
                None,
            ),
            (
                "moderator",
                "From the research side: the sorting accuracy was good enough, but blended fabrics remain a "
                "problem that no sorter can fix. Design for recycling has to come first.",
                5,
                None,
            ),
        ],
        "flags": {},
    },
    {
        "theme": "resilienta-halsosamma-samhallen",
        "author": "member",
        "language": "sv",
        "goals": [6, 11, 13],
        "days": 20,
        "title": "Öppen dagvattenhantering efter skyfallet 2014: vad fungerade?",
        "body": "Skyfallet i Malmö i augusti 2014 visade var ledningsnätet inte räckte till. I Augustenborg klarade "
        "sig de öppna dagvattenlösningarna bättre än många andra områden.\n\nVilka lärdomar tog ni med "
        "er till nya detaljplaner, till exempel i **Västra Hamnen**?",
        "replies": [
            (
                "moderator",
                "Det viktigaste var att planera ytor som *får* översvämmas: lekplatser och parker som "
                "tillfälligt blir dammar. Det kräver att förvaltningarna pratar med varandra tidigt.",
                18,
                "solution",
            ),
            (
                "admin",
                "Vi har sedan dess skrivit in skyfallsstråk i planprogrammen. Gröna tak räknas också in, "
                "men de fördröjer mest vid vanliga regn, inte vid de allra största.",
                15,
                None,
            ),
            (
                "member2",
                "Is there a map of the cloudburst routes that residents can see? People asked us about it "
                "at the garden last summer.",
                3,
                None,
            ),
        ],
        "flags": {},
    },
    {
        "theme": "rattvisa-inkluderande-samhallen",
        "author": "member2",
        "language": "en",
        "goals": [2, 8, 10, 11],
        "days": 15,
        "title": "Botildenborg: urban farming as a way into work in Rosengård",
        "body": "At Botildenborg, growing food has become a way to meet neighbours, learn Swedish and find a first "
        "job. I would love to hear from others who combine **urban farming** with work training.\n\n"
        "What kind of partners made it last beyond the first project grant?",
        "replies": [
            (
                "moderator",
                "Vår utvärdering visar att det som håller över tid är partnerskap med lokala företag som "
                "köper grönsakerna, inte bara projektmedel. Då finns det en riktig kund att leverera till.",
                12,
                None,
            ),
            (
                "member",
                "Vi i fastighetsbolaget har upplåtit mark på gårdar för odling. Det minskade skadegörelsen "
                "och gav fler som känner sig hemma i området.",
                11,
                None,
            ),
        ],
        "flags": {},
    },
    {
        "theme": "rattvisa-inkluderande-samhallen",
        "author": "moderator",
        "language": "sv",
        "goals": [10, 11, 16],
        "days": 4,
        "title": "Hur når vi boende som aldrig kommer till samråden?",
        "body": "Samråd om detaljplaner lockar ofta samma grupper. Vilka metoder har fungerat för att nå unga, "
        "äldre och boende som inte pratar svenska?",
        "replies": [
            (
                "member2",
                "Go where people already are: the school yard, the mosque, the food market. We set up a "
                "table with maps at the weekend market and got more comments in one day than in a month online.",
                3,
                None,
            ),
            (
                "admin",
                "Vi har haft goda erfarenheter av dialogvandringar med tolk. Det tar tid, men förtroendet "
                "som byggs upp gör nästa samråd lättare.",
                2,
                None,
            ),
        ],
        "flags": {},
    },
    {
        "theme": "resilienta-halsosamma-samhallen",
        "author": "admin",
        "language": "sv",
        "goals": [3, 11, 13],
        "days": 2,
        "title": "Värmeböljor och gröna tak: vad säger mätningarna i Västra Hamnen?",
        "body": "Under värmeböljan i somras mätte vi yttemperaturer på tak i Västra Hamnen. Gröna tak var "
        "betydligt svalare än svarta papptak. Har någon mätt effekten *inomhus*, i lägenheterna under?",
        "replies": [
            (
                "member",
                "Vi har loggat inomhustemperatur i två hus, ett med sedumtak och ett utan. Skillnaden i "
                "översta våningen var tydlig under de varmaste dagarna. Jag delar gärna datan.",
                1,
                None,
            ),
        ],
        "flags": {},
    },
]


def seed_demo_discussions(session: Session) -> list[str]:
    """Create the demo threads that do not exist yet; return a line describing what was done."""
    authors = {key: demo_user(session, key) for key in ("admin", "moderator", "member", "member2")}
    if any(user is None for user in authors.values()):
        return ["Demo discussions skipped: the demo accounts are missing."]
    themes = core_queries.themes_by_slug(session)
    goals = core_queries.goals_by_number(session)
    created = 0
    now = utcnow()
    for spec in DEMO_THREADS:
        if session.exec(select(Thread.id).where(Thread.title == spec["title"])).first() is not None:
            continue
        note = NOTE_SV if spec["language"] == "sv" else NOTE_EN
        thread = service.create_thread(
            session=session,
            actor=authors[spec["author"]],
            theme=themes[spec["theme"]],
            title=spec["title"],
            body=spec["body"] + note,
            language=spec["language"],
            goal_ids=[goals[number].id for number in spec["goals"]],
        )
        _backdate(session, thread, now - timedelta(days=spec["days"]))
        for author_key, body, days, role in spec["replies"]:
            post = service.reply(
                session=session, actor=authors[author_key], thread=thread, body=body
            )
            post.created_at = now - timedelta(days=days, hours=len(body) % 7)
            if role == "solution":
                service.mark_solution(session=session, actor=authors[spec["author"]], post=post)
        for flag, value in spec["flags"].items():
            setattr(thread, flag, value)
        service.refresh_thread_counters(session=session, thread=thread)
        created += 1
    return [
        f"Demo discussions: {created} thread(s) created, {len(DEMO_THREADS) - created} already there."
    ]


def _backdate(session: Session, thread: Thread, moment) -> None:
    thread.created_at = moment
    first = session.get(Post, thread.last_post_id)
    first.created_at = moment
    session.flush()
