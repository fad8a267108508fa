"""The demo's conversations: questions (most answered, a few still waiting), discussions with
nested replies, @mentions, useful marks, a few direct messages and one open flag per
community. Written for the demo, fictional, and seeded through the conversations services.

Running the seed again adds nothing: a thread is found by community and title and, once
there, left as it is (members may have replied or edited since); a conversation between two
demo people is only started when they have none yet; a flag only when its reporter has
none on that post.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Max
from django.utils import timezone

from kring.accounts.models import User
from kring.communities.models import Community, Membership
from kring.conversations import selectors
from kring.conversations.models import Flag, Notification, Reply, Thread, ThreadKind
from kring.conversations.services import direct_messages as message_services
from kring.conversations.services import threads as thread_services

Q, D = ThreadKind.QUESTION, ThreadKind.DISCUSSION


@dataclass(frozen=True)
class ReplySpec:
    author: str
    body: str
    # Hours after the thread was opened (for a child: after its parent).
    hours: float
    children: tuple["ReplySpec", ...] = ()
    useful: tuple[str, ...] = ()
    accepted: bool = False


@dataclass(frozen=True)
class ThreadSpec:
    community: str
    kind: str
    title: str
    author: str
    days_ago: int
    body: str
    tags: tuple[str, ...] = ()
    replies: tuple[ReplySpec, ...] = ()
    useful: tuple[str, ...] = ()
    # Who accepts the accepted reply: the asker unless a facilitator did.
    accepted_by: str = ""


@dataclass(frozen=True)
class MessageSpec:
    sender: str
    recipient: str
    body: str
    days_ago: float


@dataclass(frozen=True)
class FlagSpec:
    community: str
    thread: str
    reply_author: str
    reporter: str
    # Index into the community's ground rules (as in data.py).
    rule: int
    reason: str
    hours_after: float = 5


THREADS: list[ThreadSpec] = [
    # --- Langer thuis in de regio Rivierenland ----------------------------------------------
    ThreadSpec(
        "zorg",
        Q,
        "Wie heeft ervaring met een valrisicocheck aan huis?",
        "Ingrid Bos",
        240,
        "We willen in Tiel ouderen na een val thuis laten bezoeken voor een korte check: "
        "drempels, verlichting, medicijnen, schoenen. Wie doet dit al, en **wie voert het "
        "huisbezoek uit**: de wijkverpleging, een ergotherapeut of een vrijwilliger?",
        ("valpreventie",),
        (
            ReplySpec(
                "Fatma Yılmaz",
                "Bij ons doet de wijkverpleegkundige het, gekoppeld aan een bezoek dat toch al "
                "gepland stond. We gebruiken een lijstje van tien punten en laten altijd een "
                "kopie achter.\n\nWat het verschil maakt: de medicatie meteen meenemen. Bijna "
                "de helft van de mensen die we zien, gebruikt vijf of meer middelen.",
                3,
                children=(
                    ReplySpec(
                        "Ahmed Bouzid",
                        "En daarna doorverwijzen naar een beweeggroep! In Buren komen mensen "
                        "na zo'n check vaak naar de valpreventiecursus. Dat gaat het best als "
                        "de verpleegkundige er zelf over begint.",
                        20,
                    ),
                ),
                useful=("Priya Ramdin", "Ingrid Bos", "Esther Mulder", "Saskia Peters"),
                accepted=True,
            ),
            ReplySpec(
                "Esther Mulder",
                "Vanuit de apotheek doen we graag een medicatiebeoordeling na een val. Stuur "
                "ons gerust een seintje; de huisarts hoeft er niet eerst voor te verwijzen.",
                30,
                useful=("Fatma Yılmaz",),
            ),
        ),
        useful=("Saskia Peters",),
    ),
    ThreadSpec(
        "zorg",
        Q,
        "Respijtzorg in het weekend: waar kunnen mantelzorgers terecht?",
        "Gerrit Kuipers",
        180,
        "Mijn vrouw heeft dementie en ik wil af en toe een weekend naar mijn zoon in "
        "Groningen. Doordeweeks is er dagbesteding, maar in het weekend vind ik niets. "
        "Kent iemand een logeeradres of een andere oplossing in de Betuwe?",
        ("mantelzorg", "respijtzorg"),
        (
            ReplySpec(
                "Mehmet Kaya",
                "Beste Gerrit, er zijn twee logeerhuizen in de regio die ook in het weekend "
                "open zijn, en een paar zorgboerderijen. Je kunt ook een vrijwilliger thuis "
                "laten komen; dat regelen wij via het steunpunt. Bel me gerust, dan zoeken we "
                "samen wat bij jullie past. @{Dewi Sasmita} weet welke plekken goed zijn "
                "voor mensen met dementie.",
                26,
                children=(
                    ReplySpec(
                        "Dewi Sasmita",
                        "Klopt. Mijn tip: ga eerst samen een middag kijken, dan is het "
                        "logeren minder onbekend. Ik denk graag mee, Gerrit.",
                        4,
                    ),
                ),
                useful=("Gerrit Kuipers", "Henk van der Molen", "Kees Willemsen"),
                accepted=True,
            ),
        ),
        useful=("Henk van der Molen",),
    ),
    ThreadSpec(
        "zorg",
        Q,
        "Hoe leggen jullie signalen van eenzaamheid vast zonder dat het een dossier wordt?",
        "Kees Willemsen",
        120,
        "Als vrijwilliger van de boodschappendienst zie ik soms dat iemand het moeilijk "
        "heeft. Ik wil dat doorgeven, maar ik wil niet dat er meteen een dossier over die "
        "persoon wordt aangelegd. Hoe doen jullie dat?",
        ("eenzaamheid", "vrijwilligerswerk"),
        (
            ReplySpec(
                "Anouk Verbeek",
                "Bij het wijkteam noteren we pas iets als de persoon zelf hulp wil. Een "
                "signaal van een vrijwilliger bespreken we eerst in het buurtoverleg, zonder "
                "naam.",
                50,
            ),
            ReplySpec(
                "Marieke Jansen",
                "Wat bij ons werkt: vraag de persoon zelf of je iemand mag laten langskomen. "
                "Zo blijft hij of zij baas over het eigen verhaal. Lukt dat niet, bel dan de "
                "opbouwwerker van de kern; wij gaan op de koffie en er wordt niets "
                "vastgelegd.",
                60,
                children=(
                    ReplySpec(
                        "Truus Hendriks",
                        "Zo ging het bij mijn buurvrouw ook. Ze was blij dat het gewoon een "
                        "kop koffie was en geen intake.",
                        18,
                    ),
                ),
                useful=("Kees Willemsen", "Anouk Verbeek", "Truus Hendriks"),
                accepted=True,
            ),
        ),
    ),
    ThreadSpec(
        "zorg",
        Q,
        "Mag de thuiszorg de huisarts bellen zonder toestemming van de cliënt?",
        "Lotte Smit",
        75,
        "Voor mijn afstudeeronderzoek vraag ik me af waar de grens ligt. Als een "
        "wijkverpleegkundige zich zorgen maakt, mag ze dan de huisarts inlichten als de "
        "cliënt dat niet wil?",
        ("wijkverpleging", "privacy"),
        (
            ReplySpec(
                "Priya Ramdin",
                "In principe niet zonder toestemming, tenzij er ernstig gevaar is. In de "
                "praktijk vragen we het gewoon: _mag ik met uw huisarts overleggen?_ De "
                "meeste mensen zeggen ja als je uitlegt waarom.",
                5,
                children=(
                    ReplySpec(
                        "Esther Mulder",
                        "Voor apothekers geldt hetzelfde. Leg vast dat je het gevraagd hebt.",
                        22,
                    ),
                ),
                useful=("Lotte Smit", "Fatma Yılmaz"),
                accepted=True,
            ),
        ),
        accepted_by="Marieke Jansen",
    ),
    ThreadSpec(
        "zorg",
        Q,
        "Heeft iemand een folder over domotica in begrijpelijke taal?",
        "Henk van der Molen",
        12,
        "De cliëntenraad krijgt vragen over sensoren en slimme deurbellen. De folders die "
        "ik vind, zijn vol vakjargon. Kent iemand iets eenvoudigs dat we kunnen uitdelen?",
        ("zorgtechnologie",),
    ),
    ThreadSpec(
        "zorg",
        Q,
        "Zijn er dorpen waar de huisarts en het wijkteam samen spreekuur houden?",
        "Joyce Martina",
        4,
        "We overwegen een pilot te financieren met een gezamenlijk spreekuur in een "
        "dorpshuis. Voordat we iets nieuws bedenken: waar gebeurt dit al, en wat levert "
        "het op?",
        ("pilots", "wijkteam"),
    ),
    ThreadSpec(
        "zorg",
        D,
        "Wat namen we mee van de keukentafelavond in Beesd?",
        "Marieke Jansen",
        150,
        "Dank aan iedereen die er was! Drie dingen die ik opschreef:\n\n"
        "- Ouderen willen vooral weten bij wie ze terechtkunnen, niet welke regeling er is.\n"
        "- Mantelzorgers voelen zich pas gehoord als iemand terugbelt.\n"
        "- Het dorpshuis is een betere plek dan het gemeentehuis.\n\n"
        "Wat viel jullie op?",
        ("ontmoeting",),
        (
            ReplySpec(
                "Truus Hendriks",
                "Dat er voor het eerst echt naar ons geluisterd werd. Volgende keer graag "
                "weer met koffie en zonder dia's.",
                20,
                useful=("Marieke Jansen", "Henk van der Molen"),
            ),
            ReplySpec(
                "Henk van der Molen",
                "Het idee van één vast telefoonnummer per dorp bleef bij me hangen. "
                "@{Fatma Yılmaz}, zou de wijkverpleging daar een rol in kunnen spelen?",
                28,
                children=(
                    ReplySpec(
                        "Fatma Yılmaz",
                        "Zeker, we bespreken het in het teamoverleg. Ik kom er in de kring "
                        "op terug.",
                        6,
                    ),
                ),
            ),
            ReplySpec(
                "Wim de Groot",
                "Opvallend veel vragen over traplift en aanpassingen. Ik neem dat mee naar de "
                "woonstichting.",
                50,
            ),
        ),
        useful=("Ruben Hoekstra", "Truus Hendriks"),
    ),
    ThreadSpec(
        "zorg",
        D,
        "Mantelzorgers als volwaardige deelnemers: hoe doen we dat echt?",
        "Henk van der Molen",
        90,
        "We zeggen dat mantelzorgers geen publiek zijn, maar bijeenkomsten vallen vaak "
        "onder werktijd en de stukken zijn lang. Wat kunnen we anders doen?",
        ("mantelzorg", "cliëntenparticipatie"),
        (
            ReplySpec(
                "Mehmet Kaya",
                "Een avond in plaats van een middag, en vervanging regelen voor wie thuis "
                "niet weg kan. Dat laatste kan via het steunpunt.",
                8,
                useful=("Henk van der Molen", "Gerrit Kuipers"),
            ),
            ReplySpec(
                "Ruben Hoekstra",
                "Wat ook helpt: iedere bijeenkomst begint met een vraag van een mantelzorger, "
                "niet met een presentatie van een professional.",
                30,
                children=(
                    ReplySpec(
                        "Gerrit Kuipers",
                        "Daar zou ik wel een keer aan mee willen doen.",
                        10,
                    ),
                ),
            ),
            ReplySpec(
                "Anouk Verbeek",
                "Mee eens. Neem mevrouw De Wit van de Dorpsstraat: haar dochter zorgt al drie "
                "jaar voor haar en niemand heeft haar ooit gevraagd wat zij nodig heeft.",
                52,
            ),
        ),
    ),
    ThreadSpec(
        "zorg",
        D,
        "Leesclub: het advies over de toekomst van de ouderenzorg",
        "Ruben Hoekstra",
        20,
        "Wie leest mee? Ik stel voor dat we per hoofdstuk één vraag bedenken die we op de "
        "volgende bijeenkomst bespreken. Hoofdstuk 2, over wonen, lijkt me een goede start.",
        ("ouderenzorg",),
        (
            ReplySpec(
                "Tomasz Nowak",
                "Goed idee. Ik kan een korte samenvatting maken van wat er in de regio al "
                "gemeten wordt.",
                12,
                useful=("Ruben Hoekstra",),
            ),
            ReplySpec(
                "Saskia Peters",
                "Ik lees mee vanuit de gemeente Zaltbommel. Mijn vraag bij hoofdstuk 2: wie "
                "neemt het initiatief voor nieuwe woonvormen?",
                40,
                children=(
                    ReplySpec(
                        "Ingrid Bos",
                        "Goede vraag; in Tiel kijken we daarvoor naar de woningcorporaties.",
                        5,
                    ),
                ),
            ),
        ),
    ),
    # --- Schoolleidersnetwerk Kansrijk Leren ------------------------------------------------
    ThreadSpec(
        "school",
        Q,
        "Hoe vangen jullie een langdurig zieke leraar op zonder de groep op te knippen?",
        "Sandra Kok",
        260,
        "Een van mijn leraren is voor minstens drie maanden uit. Invallers zijn er niet, "
        "en de groep verdelen over andere klassen gaat al twee weken zo. Hoe lossen "
        "jullie dit op?",
        ("roosteren", "kleine scholen"),
        (
            ReplySpec(
                "Jeroen Brouwer",
                "Wij hebben een vaste onderwijsassistent in de groep gezet, met een collega "
                "die twee ochtenden de instructie geeft. De andere dagen een vakleerkracht "
                "gym en muziek. Niet ideaal, maar de groep blijft bij elkaar.",
                4,
                children=(
                    ReplySpec(
                        "Thijs Meijer",
                        "Zo doen wij het ook. Bespreek het vooraf met de ouders, dan krijg je "
                        "veel begrip.",
                        9,
                    ),
                ),
                useful=("Sandra Kok", "Erik Postma", "Yvonne Tjon A Fong"),
                accepted=True,
            ),
            ReplySpec(
                "Erik Postma",
                "Misschien een student van de pabo in het laatste jaar? @{Marloes Bakker} "
                "weet vast hoe dat te regelen is.",
                26,
            ),
        ),
    ),
    ThreadSpec(
        "school",
        Q,
        "Hoe regelen jullie een warme overdracht naar het vo voor kinderen met een "
        "ontwikkelingsperspectief?",
        "Yvonne Tjon A Fong",
        200,
        "Onze leerlingen gaan vaak naar het praktijkonderwijs of het vmbo. Het "
        "onderwijskundig rapport alleen is te weinig. Wie heeft een goede vorm gevonden?",
        ("overstap po-vo", "passend onderwijs"),
        (
            ReplySpec(
                "Pieter Visser",
                "Wij nodigen de leerkracht van groep 8 in september uit in de brugklas. Een "
                "uur meekijken en daarna een gesprek met de mentor. Het kost weinig en we "
                "leren er elk jaar van. @{Dennis Ramkisoen} schuift aan als er jeugdhulp "
                "bij betrokken is.",
                30,
                children=(
                    ReplySpec(
                        "Naima Azzouzi",
                        "Mooi! Doen jullie dat ook voor kinderen zonder ontwikkelingsperspectief?",
                        6,
                    ),
                    ReplySpec(
                        "Pieter Visser",
                        "Ja, voor iedereen over wie de leerkracht zich zorgen maakt.",
                        8,
                    ),
                ),
                useful=("Yvonne Tjon A Fong", "Naima Azzouzi", "Dennis Ramkisoen"),
                accepted=True,
            ),
        ),
        useful=("Pieter Visser",),
    ),
    ThreadSpec(
        "school",
        Q,
        "Wie heeft subsidie voor de rijke schooldag aangevraagd, en hoe ging de verantwoording?",
        "Erik Postma",
        130,
        "We willen volgend jaar twee middagen per week muziek, techniek en sport aanbieden. "
        "De aanvraag lijkt te doen, maar ik zie op tegen de verantwoording.",
        ("subsidies", "rijke schooldag"),
        (
            ReplySpec(
                "Linda van Dam",
                "De verantwoording is eenvoudiger dan het lijkt: een korte inhoudelijke "
                "terugblik en de aantallen deelnemers. Ik help je graag met de aanvraag; "
                "stuur me een bericht.",
                2,
                useful=("Erik Postma", "Jeroen Brouwer"),
                accepted=True,
            ),
            ReplySpec(
                "Jeroen Brouwer",
                "Tip: houd vanaf dag één een lijstje bij wie er meedoet. Dat scheelt achteraf "
                "veel zoekwerk.",
                20,
            ),
        ),
    ),
    ThreadSpec(
        "school",
        Q,
        "Hoe begeleiden jullie startende leraren in hun eerste maand?",
        "Thijs Meijer",
        70,
        "We krijgen na de zomer drie starters. Wat doen jullie in de eerste weken, naast "
        "een buddy?",
        ("startende leraren",),
        (
            ReplySpec(
                "Marloes Bakker",
                "Uit ons onderzoek: de eerste maand gaat het minder om didactiek en meer om "
                "erbij horen. Plan elke week een kort gesprek, en laat starters bij elkaar in "
                "de klas kijken.",
                70,
                useful=("Thijs Meijer", "Erik Postma", "Karin Dijkstra"),
                accepted=True,
            ),
            ReplySpec(
                "Erik Postma",
                "En geef ze de eerste weken geen extra taken. Klinkt logisch, gebeurt toch vaak.",
                80,
            ),
        ),
    ),
    ThreadSpec(
        "school",
        Q,
        "Werkt iemand met een schoolmaatschappelijk werker op een kleine school?",
        "Sandra Kok",
        9,
        "We hebben 85 leerlingen en krijgen vier uur per maand. Hoe zorg je dat die uren "
        "goed besteed worden?",
        ("jeugdhulp op school", "kleine scholen"),
    ),
    ThreadSpec(
        "school",
        Q,
        "Hoe betrekken jullie ouders die geen Nederlands spreken bij het ouderportaal?",
        "Rachid Bennani",
        3,
        "Als voorzitter van de MR hoor ik dat ouders berichten missen. Vertaalfuncties "
        "helpen maar half. Wat werkt bij jullie?",
        ("ouderbetrokkenheid",),
    ),
    ThreadSpec(
        "school",
        D,
        "Terugblik op de middag bij IKC De Vlinderboom",
        "Karin Dijkstra",
        160,
        "Dank je wel, Naima, voor de rondleiding! Wat mij raakte: de overgang van "
        "peuteropvang naar groep 1 merk je daar niet. Wat nemen jullie mee naar je eigen "
        "school?",
        ("IKC",),
        (
            ReplySpec(
                "Naima Azzouzi",
                "Graag gedaan! Het kostte ons vier jaar en veel gesprekken met de opvang. "
                "Vragen zijn altijd welkom.",
                5,
                children=(
                    ReplySpec(
                        "Yvonne Tjon A Fong",
                        "Ik kom graag een keer terug met mijn intern begeleider.",
                        20,
                    ),
                ),
                useful=("Karin Dijkstra",),
            ),
            ReplySpec(
                "Hamid Ouali",
                "Wat mij opviel: iedereen sprak over 'onze kinderen', niet over 'de "
                "leerlingen van de opvang'. Dat zegt veel.",
                24,
                useful=("Naima Azzouzi", "Jeroen Brouwer"),
            ),
        ),
    ),
    ThreadSpec(
        "school",
        D,
        "Kansengelijkheid: meten we wat we belangrijk vinden?",
        "Hamid Ouali",
        95,
        "We praten veel over kansengelijkheid, maar onze cijfers gaan vooral over "
        "toetsen. Hoe laten jullie zien wat er verder verandert?",
        ("kansengelijkheid",),
        (
            ReplySpec(
                "Femke Schouten",
                "Er zijn scholen die ook bijhouden hoeveel kinderen aan naschoolse activiteiten "
                "meedoen, en hoe vaak ouders op school komen. Eenvoudig en zeggend.",
                10,
                children=(
                    ReplySpec(
                        "Ruben Hoekstra",
                        "Dat soort maten kunnen we samen met studenten verzamelen.",
                        12,
                    ),
                ),
                useful=("Hamid Ouali", "Jeroen Brouwer"),
            ),
            ReplySpec(
                "Jeroen Brouwer",
                "Wij vragen elk jaar aan de kinderen zelf wat ze willen leren buiten de "
                "lessen. Dat gesprek is waardevoller dan het getal.",
                30,
            ),
            ReplySpec(
                "Thijs Meijer",
                "Namens ons bestuur kan ik zeggen dat wij hier niet aan meedoen: het bestuur "
                "vindt dat de inspectie hierover gaat.",
                40,
            ),
        ),
    ),
    ThreadSpec(
        "school",
        D,
        "Boekentip: wat lezen jullie in de vakantie?",
        "Pieter Visser",
        13,
        "Ik begin aan een boek over leiderschap in het onderwijs dat een collega me gaf. "
        "Wat liggen er bij jullie op het nachtkastje?",
        ("schoolleiderschap",),
        (
            ReplySpec("Erik Postma", "Eindelijk een roman. Geen vakboeken deze zomer!", 3),
            ReplySpec(
                "Naima Azzouzi",
                "Een boek over ouderbetrokkenheid dat ik al een jaar wil lezen.",
                7,
                children=(
                    ReplySpec(
                        "Karin Dijkstra",
                        "Vertel je er na de zomer over? Misschien iets voor een bijeenkomst.",
                        5,
                    ),
                ),
            ),
        ),
    ),
    # --- Energiekring Vogelwijk -------------------------------------------------------------
    ThreadSpec(
        "energie",
        Q,
        "Wat kost radiatorfolie en helpt het echt?",
        "Lieke Hermans",
        110,
        "Een buurvrouw zegt dat het veel scheelt, mijn schoonvader zegt dat het onzin is. "
        "Wie weet het?",
        ("kleine energiemaatregelen",),
        (
            ReplySpec(
                "Jan-Willem Scholten",
                "Het kost een paar euro per radiator en het helpt vooral bij een radiator "
                "tegen een buitenmuur zonder isolatie. Ik kom het graag een keer laten zien; "
                "de coöperatie heeft ook gratis rollen.",
                3,
                children=(
                    ReplySpec(
                        "Kofi Mensah",
                        "In onze metingen scheelde het in zulke huizen een paar procent op het "
                        "gasverbruik. Niet veel, maar voor bijna niets.",
                        30,
                    ),
                ),
                useful=("Lieke Hermans", "Wendy Maas", "Sevda Aydın"),
                accepted=True,
            ),
        ),
    ),
    ThreadSpec(
        "energie",
        Q,
        "Gaat mijn huur omhoog als de corporatie mijn woning isoleert?",
        "Sevda Aydın",
        95,
        "Veel buren in de Merelstraat vragen dit. Ze willen graag een warmer huis, maar "
        "zijn bang dat ze de huur straks niet meer kunnen betalen.",
        ("huurders", "isolatie"),
        (
            ReplySpec(
                "Hans Lammers",
                "Bij isolatie naar label B of beter vragen wij geen huurverhoging. Bij "
                "extra's, zoals zonnepanelen, alleen als de huurder ermee instemt en de "
                "besparing groter is dan de verhoging.",
                20,
                children=(
                    ReplySpec(
                        "Sevda Aydın",
                        "Fijn. Kun je dat ook op papier zetten voor de bewonersbrief?",
                        4,
                    ),
                ),
                useful=("Sevda Aydın", "Lieke Hermans", "Wim de Groot", "Mariam Haddad"),
                accepted=True,
            ),
            ReplySpec(
                "Ilse de Wit",
                "En wie het toch krap heeft: kom langs op het spreekuur geldzaken, dan kijken "
                "we naar toeslagen.",
                30,
            ),
        ),
    ),
    ThreadSpec(
        "energie",
        Q,
        "Welke huurders kunnen nog energietoeslag aanvragen?",
        "Wim de Groot",
        60,
        "Ik krijg op mijn spreekuur vragen van huurders die net boven de grens zitten. "
        "Is er iets voor hen?",
        ("energietoeslag", "huurders"),
        (
            ReplySpec(
                "Ilse de Wit",
                "Ja: er is een regeling van de gemeente voor mensen tot 130% van het "
                "minimum, en het noodfonds voor wie daar net boven zit. Ik help bij het "
                "formulier. @{Sevda Aydın}, zullen we er samen een stukje over schrijven "
                "voor de bewonersbrief?",
                6,
                useful=("Wim de Groot", "Sevda Aydın"),
                accepted=True,
            ),
        ),
    ),
    ThreadSpec(
        "energie",
        Q,
        "Is een hybride warmtepomp zinvol in een jaren-30 woning?",
        "Wendy Maas",
        45,
        "Ons huis heeft spouwmuurisolatie en dubbel glas, maar een houten vloer zonder "
        "isolatie. Eerst de vloer, of kan het tegelijk?",
        ("warmtepomp", "isolatie"),
        (
            ReplySpec(
                "Rob van Leeuwen",
                "Eerst de vloer. Een hybride warmtepomp werkt het best als het huis op lage "
                "temperatuur warm blijft. Met de vloer geïsoleerd haal je er veel meer uit.",
                28,
                children=(
                    ReplySpec(
                        "Jan-Willem Scholten",
                        "Tip: de coöperatie leent een warmtecamera uit. Dan zie je waar het lekt.",
                        3,
                    ),
                ),
                useful=("Wendy Maas", "Daan Koster"),
                accepted=True,
            ),
            ReplySpec(
                "Hans Lammers",
                "In onze huurwoningen van die leeftijd doen we het in die volgorde: vloer, "
                "ventilatie, dan de warmtepomp.",
                48,
                useful=("Wendy Maas",),
            ),
        ),
    ),
    ThreadSpec(
        "energie",
        Q,
        "Wat is een 'wijkuitvoeringsplan' precies?",
        "Lieke Hermans",
        8,
        "Ik hoor het woord steeds, ook hier. Wat staat erin, en wat betekent het voor mijn huis?",
        ("wijkuitvoeringsplan",),
    ),
    ThreadSpec(
        "energie",
        Q,
        "Heeft de coöperatie een warmtecamera die ik kan lenen?",
        "Wendy Maas",
        2,
        "Ik wil voor de winter zien waar het tocht. Hoe lang mag je hem houden?",
        ("metingen",),
    ),
    ThreadSpec(
        "energie",
        D,
        "Verslag van het energiecafé in De Spreeuw",
        "Daan Koster",
        120,
        "Met veertig buren was het vol! De belangrijkste vragen:\n\n"
        "1. Wat kost het mij?\n"
        "2. Wanneer is mijn straat aan de beurt?\n"
        "3. Wie helpt als ik het niet zelf kan regelen?\n\n"
        "Volgende maand gaan we verder met vraag 3.",
        ("bewonersparticipatie",),
        (
            ReplySpec(
                "Sevda Aydın",
                "Mooi dat er zoveel huurders waren. Volgende keer graag ook een tolk Turks en "
                "Arabisch.",
                6,
                children=(
                    ReplySpec(
                        "Lieke Hermans",
                        "En kinderopvang! Dan kan ik ook.",
                        10,
                    ),
                ),
                useful=("Daan Koster", "Mariam Haddad"),
            ),
            ReplySpec(
                "Kofi Mensah",
                "Ik heb de vragen genoteerd voor ons onderzoek naar energiearmoede. Dank!",
                20,
            ),
        ),
        useful=("Mariam Haddad", "Sevda Aydın"),
    ),
    ThreadSpec(
        "energie",
        D,
        "Zorgen over de planning van het aardgasvrij maken",
        "Sevda Aydın",
        70,
        "Buren hebben in de krant gelezen dat de wijk over vijf jaar van het gas af moet. "
        "Dat roept veel onrust op. Kunnen we afspreken hoe we hierover communiceren?",
        ("aardgasvrij", "huurders"),
        (
            ReplySpec(
                "Mariam Haddad",
                "Goed dat je dit aankaart. Er ligt nog niets vast: het plan schrijven we met "
                "de buurt. Ik stel voor dat we een korte uitleg maken in gewone taal.",
                4,
                children=(
                    ReplySpec(
                        "Sevda Aydın",
                        "Graag, en laat bewoners eerst lezen voordat het naar de krant gaat.",
                        3,
                    ),
                ),
                useful=("Sevda Aydın", "Wendy Maas", "Lieke Hermans"),
            ),
            ReplySpec(
                "Hans Lammers",
                "Voor de huurwoningen maken we geen planning zonder de bewonerscommissie.",
                22,
            ),
            ReplySpec(
                "Rob van Leeuwen",
                "Wie niet wil wachten, kan mij bellen: voor leden van de kring tien procent "
                "korting op een warmtepomp.",
                30,
            ),
        ),
    ),
    ThreadSpec(
        "energie",
        D,
        "Ideeën voor een energiemarkt op het Merelplein",
        "Jan-Willem Scholten",
        10,
        "Op de zaterdag van de buurtbarbecue willen we een energiemarkt houden. Wat moet "
        "er zeker bij zijn?",
        ("energiecoach",),
        (
            ReplySpec(
                "Daan Koster",
                "Een kraam waar mensen hun energierekening kunnen laten uitleggen. Dat is de "
                "vraag die we het vaakst krijgen.",
                2,
                useful=("Jan-Willem Scholten",),
            ),
            ReplySpec(
                "Lieke Hermans",
                "Iets voor kinderen, bijvoorbeeld een fietsgenerator. Dan blijven ouders langer.",
                9,
                children=(
                    ReplySpec(
                        "Gerard Smits",
                        "De provincie heeft een fietsgenerator die je kunt lenen.",
                        20,
                    ),
                ),
                useful=("Jan-Willem Scholten", "Daan Koster"),
            ),
        ),
    ),
]

MESSAGES: list[MessageSpec] = [
    MessageSpec(
        "Fatma Yılmaz",
        "Priya Ramdin",
        "Zullen we de casus van vorige week even bellen? Ik ben dinsdag na twaalven vrij.",
        16,
    ),
    MessageSpec("Priya Ramdin", "Fatma Yılmaz", "Prima, ik bel je dinsdag om half één.", 15.9),
    MessageSpec(
        "Sandra Kok",
        "Karin Dijkstra",
        "Dank voor het meedenken over de zieke collega. Het rooster is rond!",
        250,
    ),
    MessageSpec(
        "Karin Dijkstra",
        "Sandra Kok",
        "Fijn om te horen. Wil je er op de volgende bijeenkomst kort over vertellen?",
        249.8,
    ),
    MessageSpec(
        "Lieke Hermans",
        "Jan-Willem Scholten",
        "Zou je een keer langs kunnen komen voor de radiatorfolie? Woensdagmiddag kan ik.",
        108,
    ),
    MessageSpec(
        "Jan-Willem Scholten",
        "Lieke Hermans",
        "Woensdag om drie uur? Ik neem twee rollen mee.",
        107.8,
    ),
]

FLAGS: list[FlagSpec] = [
    FlagSpec(
        "zorg",
        "Mantelzorgers als volwaardige deelnemers: hoe doen we dat echt?",
        "Anouk Verbeek",
        "Henk van der Molen",
        1,
        "Hier staat een naam en een straat bij; zo is de persoon herkenbaar.",
    ),
    FlagSpec(
        "school",
        "Kansengelijkheid: meten we wat we belangrijk vinden?",
        "Thijs Meijer",
        "Jeroen Brouwer",
        1,
        "We spraken af dat we hier niet namens ons bestuur praten.",
    ),
    FlagSpec(
        "energie",
        "Zorgen over de planning van het aardgasvrij maken",
        "Rob van Leeuwen",
        "Wendy Maas",
        3,
        "Dit is een aanbieding; hier wordt niets verkocht.",
    ),
]

MENTION = re.compile(r"@\{([^}]+)\}")


def _mentions(text: str, people: dict[str, User]) -> str:
    """`@{Name}` in the texts above becomes the link the editor's autocomplete writes."""
    return MENTION.sub(lambda m: f"@[{m.group(1)}](/people/{people[m.group(1)].pk}/)", text)


@dataclass
class _Clock:
    """Moments for one thread: never before someone joined, always after the previous post,
    never in the future."""

    now: datetime
    joined: dict[int, datetime]
    last: datetime | None = None

    def at(self, wanted: datetime, user: User) -> datetime:
        moment = max(wanted, self.joined[user.pk] + timedelta(hours=2))
        if self.last is not None:
            moment = max(moment, self.last + timedelta(minutes=7))
        moment = min(moment, self.now - timedelta(minutes=10))
        self.last = moment
        return moment


def _office_hours(moment: datetime, title: str) -> datetime:
    local = timezone.localtime(moment)
    hour = 8 + sum(map(ord, title)) % 10
    return local.replace(hour=hour, minute=sum(map(ord, title)) % 60, second=0, microsecond=0)


def _thread_ensure(
    *,
    spec: ThreadSpec,
    community: Community,
    people: dict[str, User],
    joined: dict[int, datetime],
    now: datetime,
) -> Thread:
    clock = _Clock(now=now, joined=joined)
    author = people[spec.author]
    opened = clock.at(_office_hours(now - timedelta(days=spec.days_ago), spec.title), author)
    thread = thread_services.thread_create(
        community=community,
        by=author,
        kind=spec.kind,
        title=spec.title,
        body=_mentions(spec.body, people),
        tags=list(spec.tags),
        at=opened,
    )
    marks: list[tuple[Reply | None, str, datetime]] = [
        (None, name, opened + timedelta(hours=30 + i * 7)) for i, name in enumerate(spec.useful)
    ]
    accepted: tuple[Reply, datetime] | None = None

    def post(reply_spec: ReplySpec, parent: Reply | None, after: datetime) -> Reply:
        nonlocal accepted
        who = people[reply_spec.author]
        moment = clock.at(after + timedelta(hours=reply_spec.hours), who)
        reply = thread_services.reply_create(
            thread=thread,
            by=who,
            body=_mentions(reply_spec.body, people),
            parent=parent,
            at=moment,
        )
        for i, name in enumerate(reply_spec.useful):
            marks.append((reply, name, moment + timedelta(hours=2 + i * 5)))
        if reply_spec.accepted:
            accepted = (reply, moment + timedelta(hours=9))
        for child in reply_spec.children:
            post(child, reply, moment)
        return reply

    for reply_spec in spec.replies:
        post(reply_spec, None, opened)
    for reply, name, moment in marks:
        thread_services.reaction_set(
            thread=thread,
            reply=reply,
            by=people[name],
            at=min(max(moment, joined[people[name].pk]), now),
        )
    if accepted is not None:
        reply, moment = accepted
        thread_services.answer_accept(
            thread=thread,
            reply=reply,
            by=people[spec.accepted_by or spec.author],
            at=min(moment, now),
        )
    return thread


def _flag_ensure(*, spec: FlagSpec, community: Community, people: dict[str, User], now) -> bool:
    try:
        from kring.conversations.services import moderation as moderation_services
    except ImportError:  # moderation arrives with its own change; the demo works without it
        return False
    thread = Thread.objects.filter(community=community, title=spec.thread).first()
    reply = Reply.objects.filter(thread=thread, author=people[spec.reply_author]).first()
    reporter = people[spec.reporter]
    if thread is None or reply is None:
        return False
    if Flag.objects.filter(thread=thread, reply=reply, reporter=reporter).exists():
        return False
    rule = community.ground_rules.order_by("position", "id")[spec.rule]
    moderation_services.flag_create(
        by=reporter,
        thread=thread,
        reply=reply,
        reason=spec.reason,
        ground_rule=rule,
        at=min(reply.created_at + timedelta(hours=spec.hours_after), now),
    )
    return True


def conversations_ensure(
    *, key: str, community: Community, people: dict[str, User], now: datetime
) -> dict[str, int]:
    """Threads, replies, marks, accepted answers and a flag for one community."""
    first_new = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    joined = dict(
        Membership.objects.filter(community=community).values_list("user_id", "joined_at")
    )
    specs = sorted((s for s in THREADS if s.community == key), key=lambda s: -s.days_ago)
    existing = set(
        Thread.objects.filter(community=community, title__in=[s.title for s in specs]).values_list(
            "title", flat=True
        )
    )
    created = 0
    for spec in specs:
        if spec.title in existing:
            continue
        _thread_ensure(spec=spec, community=community, people=people, joined=joined, now=now)
        created += 1
    flags = sum(
        _flag_ensure(spec=spec, community=community, people=people, now=now)
        for spec in FLAGS
        if spec.community == key
    )
    _quiet_history(after_id=first_new, now=now)
    return {"threads": len(specs), "threads_created": created, "flags_added": flags}


def messages_ensure(*, people: dict[str, User], now: datetime) -> int:
    """The direct messages, for pairs that have no conversation yet."""
    first_new = Notification.objects.aggregate(last=Max("id"))["last"] or 0
    pairs_done: set[frozenset] = set()
    sent = 0
    for spec in MESSAGES:
        sender, recipient = people[spec.sender], people[spec.recipient]
        pair = frozenset((sender.pk, recipient.pk))
        if pair not in pairs_done and selectors.conversation_between(sender, recipient):
            continue
        pairs_done.add(pair)
        message_services.message_send(
            sender=sender,
            recipient=recipient,
            body=spec.body,
            at=now - timedelta(days=spec.days_ago),
        )
        sent += 1
    _quiet_history(after_id=first_new, now=now)
    return sent


def _quiet_history(*, after_id: int, now: datetime) -> None:
    """The demo's notifications describe the past: nobody gets e-mail about them, and what
    is older than two weeks counts as read, so the bell shows only recent things.

    There is no service for this on purpose (in the app, only the e-mail task sets
    emailed_at); the e-mail tasks scheduled by the services find it set and send nothing.
    """
    fresh = Notification.objects.filter(id__gt=after_id)
    fresh.filter(emailed_at__isnull=True).update(emailed_at=F("created_at"))
    fresh.filter(read_at__isnull=True, created_at__lt=now - timedelta(days=14)).update(
        read_at=F("created_at")
    )
