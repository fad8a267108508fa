"""A deterministic stream of realistic Dutch library items, for benchmarks.

    from benchmarks.corpus import items
    for doc in items(100_000, seed=42): ...      # dicts: kind, title, body, tags, (url), created_at

Prose is built from sentence templates whose slots (people, places, nouns, verbs, adjectives,
organisations, times) are drawn from ranked word lists with a Zipf-Mandelbrot distribution,
so "wijkteam" and "mantelzorg" are common and "valpreventie" is rare. Nouns are also glued
into Dutch compounds ("wijkteamoverleg", "mantelzorgcafé"), which gives a long tail of rare
words the way real Dutch text has. Everything comes from one seeded random generator: the
same seed gives the same items, byte for byte. Items are made one at a time, so memory stays
flat however many are asked for.

Run it directly to see a sample and frequency statistics:

    python benchmarks/corpus.py --items 2000 --show 2
"""

import argparse
import bisect
import itertools
import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

# --- Vocabulary (ranked: earlier is more common) ---------------------------------------------

# article, singular, plural. Words any item may use, whatever its topic.
GENERAL_NOUNS = """
de zorg zorg
de samenwerking samenwerkingen
de aanpak aanpakken
de bijeenkomst bijeenkomsten
het gesprek gesprekken
de ondersteuning ondersteuning
de begeleiding begeleiding
het netwerk netwerken
de praktijk praktijken
het project projecten
de vraag vragen
de gemeente gemeenten
het plan plannen
de ervaring ervaringen
de wijk wijken
het overleg overleggen
de training trainingen
de werkwijze werkwijzen
het beleid beleid
de kennis kennis
de verbinding verbindingen
de doelgroep doelgroepen
de evaluatie evaluaties
het vertrouwen vertrouwen
de werkplaats werkplaatsen
de opgave opgaven
de casus casussen
de scholing scholing
de coach coaches
de vrijwilliger vrijwilligers
de toegang toegang
het budget budgetten
de intake intakes
de wachtlijst wachtlijsten
de kwaliteit kwaliteit
de verantwoording verantwoording
de financiering financiering
de subsidie subsidies
de regio regio's
de keten ketens
de overdracht overdrachten
het dossier dossiers
de privacy privacy
de regie regie
de signalering signaleringen
de preventie preventie
het welzijn welzijn
de monitor monitors
de indicator indicatoren
de meting metingen
de vragenlijst vragenlijsten
het interview interviews
de rapportage rapportages
de handreiking handreikingen
het stappenplan stappenplannen
de checklist checklists
de methodiek methodieken
de gespreksleidraad gespreksleidraden
de werkvorm werkvormen
de reflectie reflecties
het actiepunt actiepunten
de kerngroep kerngroepen
de procesbegeleider procesbegeleiders
de leergemeenschap leergemeenschappen
het praktijkverhaal praktijkverhalen
de digitalisering digitalisering
de aanbesteding aanbestedingen
de intervisie intervisies
de supervisie supervisies
de ervaringsdeskundigheid ervaringsdeskundigheid
de zelfregie zelfregie
de keukentafel keukentafels
de netwerkkaart netwerkkaarten
de krachtenkaart krachtenkaarten
"""

# Each item is about one topic (sometimes two): most of its nouns, people and themes come
# from there, so "warmtepomp" is frequent in a few items and absent from most.
TOPICS = {
    "ouderen": (
        """
        de mantelzorg mantelzorg
        de eenzaamheid eenzaamheid
        de ouderenzorg ouderenzorg
        de mantelzorger mantelzorgers
        de dementie dementie
        de thuiszorg thuiszorg
        de dagbesteding dagbestedingen
        de respijtzorg respijtzorg
        de wijkverpleging wijkverpleging
        het huisbezoek huisbezoeken
        de valpreventie valpreventie
        de medicatie medicatie
        het verpleeghuis verpleeghuizen
        de mantelzorgwaardering mantelzorgwaarderingen
        de revalidatie revalidatie
        de ontmoeting ontmoetingen
        de maaltijd maaltijden
        de wandeling wandelingen
        de levensvraag levensvragen
        de zingeving zingeving
        de rouw rouw
        de casemanager casemanagers
        de domotica domotica
        de levensloopbestendigheid levensloopbestendigheid
        de dementievriendelijkheid dementievriendelijkheid
        het levensboek levensboeken
        de beeldzorg beeldzorg
        de hoorbaarheid hoorbaarheid
        """,
        "ouderen mantelzorgers wijkverpleegkundigen casemanagers huisartsen "
        "praktijkondersteuners cliënten vrijwilligers",
        "mantelzorg|ouderenzorg|eenzaamheid|dementie|dagbesteding|respijtzorg|valpreventie|domotica",
    ),
    "wijk": (
        """
        het wijkteam wijkteams
        de buurt buurten
        de participatie participatie
        het buurthuis buurthuizen
        de buurtkamer buurtkamers
        de leefbaarheid leefbaarheid
        de inclusie inclusie
        de veiligheid veiligheid
        de overlast overlast
        het burgerinitiatief burgerinitiatieven
        de bewonersgroep bewonersgroepen
        de woning woningen
        de woningcorporatie woningcorporaties
        de huurder huurders
        de wijkagent wijkagenten
        de sleutelfiguur sleutelfiguren
        het koffie-uur koffie-uren
        de bibliotheek bibliotheken
        het vrijwilligerswerk vrijwilligerswerk
        de ondermijning ondermijning
        de mensenhandel mensenhandel
        de cultuursensitiviteit cultuursensitiviteit
        de zorgmijder zorgmijders
        """,
        "bewoners buurtbewoners huurders sleutelfiguren vrijwilligers ambtenaren "
        "welzijnswerkers wijkcoaches",
        "wijkgericht werken|participatie|inclusie|wonen|leefbaarheid|veiligheid|"
        "burgerinitiatief|vrijwilligerswerk|ondermijning",
    ),
    "onderwijs": (
        """
        de school scholen
        het onderwijs onderwijs
        de leerling leerlingen
        de schoolleider schoolleiders
        de leraar leraren
        de klas klassen
        het schoolbestuur schoolbesturen
        het leiderschap leiderschap
        de professionalisering professionalisering
        het lerarentekort lerarentekorten
        de directie directies
        het curriculum curricula
        de vakgroep vakgroepen
        het rooster roosters
        de ouderbetrokkenheid ouderbetrokkenheid
        de schooltuin schooltuinen
        de voorleesexpress voorleesexpressen
        de taalcoach taalcoaches
        de passend-onderwijsroute passend-onderwijsroutes
        de zij-instromer zij-instromers
        """,
        "leerkrachten schoolleiders docenten leerlingen ouders studenten bestuurders onderzoekers",
        "onderwijs|schoolleiderschap|lerarentekort|professionalisering|intervisie",
    ),
    "energie": (
        """
        de energietransitie energietransitie
        de verduurzaming verduurzaming
        de isolatie isolatie
        de warmtepomp warmtepompen
        het zonnepaneel zonnepanelen
        de energiecoach energiecoaches
        de energiearmoede energiearmoede
        de coöperatie coöperaties
        de klimaatadaptatie klimaatadaptatie
        de vergroening vergroening
        de geveltuin geveltuinen
        de wadi wadi's
        het hitteplan hitteplannen
        de warmtevisie warmtevisies
        het tochtstrip tochtstrips
        de energierekening energierekeningen
        """,
        "bewoners energiecoaches huurders ondernemers ambtenaren vrijwilligers wethouders",
        "energietransitie|energiearmoede|duurzaamheid|klimaatadaptatie|groen in de wijk",
    ),
    "armoede": (
        """
        de armoede armoede
        de schuld schulden
        de schuldhulp schuldhulp
        de toeslag toeslagen
        de inkomensondersteuning inkomensondersteuning
        de thuisadministratie thuisadministratie
        de vroegsignalering vroegsignalering
        de huur huren
        het formulier formulieren
        de brief brieven
        de voedselbank voedselbanken
        het minimabeleid minimabeleid
        de betalingsachterstand betalingsachterstanden
        de bewindvoering bewindvoering
        """,
        "bewoners cliënten vrijwilligers ambtenaren welzijnswerkers huurders ervaringsdeskundigen",
        "armoede|schulden|vroegsignalering|energiearmoede|digitale vaardigheden",
    ),
    "jeugd": (
        """
        de jeugdhulp jeugdhulp
        het gezin gezinnen
        de jongere jongeren
        de opvoeding opvoeding
        de kinderopvang kinderopvang
        de jongerenwerker jongerenwerkers
        de ouder ouders
        de schooluitval schooluitval
        de pleegzorg pleegzorg
        het jongerenpanel jongerenpanels
        de straatcoach straatcoaches
        """,
        "jongeren ouders jongerenwerkers leerkrachten professionals gezinnen",
        "jeugdhulp|opvoeding|kinderopvang|preventie",
    ),
    "werk": (
        """
        de statushouder statushouders
        de inburgering inburgering
        de werkgever werkgevers
        de arbeidsmarkt arbeidsmarkt
        de stage stages
        de re-integratie re-integratie
        de taal talen
        de laaggeletterdheid laaggeletterdheid
        de vaardigheid vaardigheden
        de taalmeter taalmeters
        de werkervaringsplek werkervaringsplekken
        """,
        "statushouders werkgevers taalvrijwilligers studenten ondernemers consulenten",
        "arbeidsmarkt|statushouders|inburgering|re-integratie|laaggeletterdheid",
    ),
    "gezondheid": (
        """
        de gezondheid gezondheid
        de leefstijl leefstijlen
        de sport sporten
        de beweging bewegingen
        de voeding voeding
        de ggz ggz
        de verslaving verslavingen
        de crisis crises
        de huisarts huisartsen
        de buurtsportcoach buurtsportcoaches
        de beweegtuin beweegtuinen
        de valtraining valtrainingen
        """,
        "huisartsen buurtsportcoaches professionals bewoners cliënten ervaringsdeskundigen",
        "gezondheid|leefstijl|sport en bewegen|ggz|verslaving|preventie",
    ),
}
TOPIC_WEIGHTS = {
    "ouderen": 24,
    "wijk": 18,
    "onderwijs": 14,
    "energie": 10,
    "armoede": 10,
    "jeugd": 9,
    "werk": 8,
    "gezondheid": 7,
}

# First parts of compounds (Dutch writes them as one word): rank order again.
COMPOUND_HEADS = """
wijk buurt zorg mantelzorg school ouderen jeugd energie welzijns gemeente vrijwilligers taal
gezondheids kennis praktijk project netwerk beleid preventie dementie leer armoede huisartsen
onderwijs klimaat woon werk bewoners team ouder gezins jongeren sport cultuur veiligheids
schuld inloop regio keten ontmoetings bibliotheek ervarings dorps stads
"""

# Last parts of compounds: article, singular, plural.
COMPOUND_TAILS = """
het team teams
het overleg overleggen
de aanpak aanpakken
het plan plannen
het netwerk netwerken
de coach coaches
de regisseur regisseurs
het café cafés
de tafel tafels
het traject trajecten
het budget budgetten
de opgave opgaven
de vraag vragen
het signaal signalen
de bijeenkomst bijeenkomsten
het gesprek gesprekken
de werker werkers
de consulent consulenten
het loket loketten
de agenda agenda's
de training trainingen
de cirkel cirkels
de route routes
het protocol protocollen
het fonds fondsen
de pilot pilots
het huis huizen
de kaart kaarten
de dag dagen
de groep groepen
de ambassadeur ambassadeurs
de scan scans
de monitor monitors
de kring kringen
het punt punten
de wandeling wandelingen
"""

GROUPS = """
professionals vrijwilligers collega's bewoners ambtenaren beleidsmedewerkers
welzijnswerkers ervaringsdeskundigen bestuurders wethouders raadsleden onderzoekers
"""

# third person singular, plural / infinitive, past participle
VERBS = """
ondersteunt ondersteunen ondersteund
begeleidt begeleiden begeleid
organiseert organiseren georganiseerd
versterkt versterken versterkt
bespreekt bespreken besproken
bereikt bereiken bereikt
betrekt betrekken betrokken
verbindt verbinden verbonden
verbetert verbeteren verbeterd
ontwikkelt ontwikkelen ontwikkeld
deelt delen gedeeld
signaleert signaleren gesignaleerd
onderzoekt onderzoeken onderzocht
vermindert verminderen verminderd
voorkomt voorkomen voorkomen
stimuleert stimuleren gestimuleerd
coördineert coördineren gecoördineerd
evalueert evalueren geëvalueerd
verkent verkennen verkend
benut benutten benut
herkent herkennen herkend
bevordert bevorderen bevorderd
vergroot vergroten vergroot
ontlast ontlasten ontlast
activeert activeren geactiveerd
faciliteert faciliteren gefaciliteerd
borgt borgen geborgd
financiert financieren gefinancierd
implementeert implementeren geïmplementeerd
bundelt bundelen gebundeld
toetst toetsen getoetst
vertaalt vertalen vertaald
inspireert inspireren geïnspireerd
adviseert adviseren geadviseerd
verduurzaamt verduurzamen verduurzaamd
isoleert isoleren geïsoleerd
opent openen geopend
agendeert agenderen geagendeerd
herijkt herijken herijkt
verankert verankeren verankerd
"""

# base (predicative), inflected (attributive, after de/het)
ADJECTIVES = """
belangrijk belangrijke
kwetsbaar kwetsbare
lokaal lokale
sociaal sociale
praktisch praktische
nieuw nieuwe
integraal integrale
preventief preventieve
duurzaam duurzame
goed goede
eenvoudig eenvoudige
concreet concrete
structureel structurele
informeel informele
vroegtijdig vroegtijdige
passend passende
gezamenlijk gezamenlijke
laagdrempelig laagdrempelige
wijkgericht wijkgerichte
regionaal regionale
digitaal digitale
professioneel professionele
kleinschalig kleinschalige
intensief intensieve
tijdelijk tijdelijke
ingewikkeld ingewikkelde
waardevol waardevolle
succesvol succesvolle
onzichtbaar onzichtbare
overbelast overbelaste
betaalbaar betaalbare
toegankelijk toegankelijke
cultuursensitief cultuursensitieve
dementievriendelijk dementievriendelijke
levensloopbestendig levensloopbestendige
energiezuinig energiezuinige
"""

PLACES = """
Zwolle Deventer Tilburg Leeuwarden Groningen Utrecht Amersfoort Apeldoorn Enschede Nijmegen
Arnhem Breda Eindhoven Maastricht Heerlen Almere Lelystad Haarlem Leiden Delft Gouda Dordrecht
Schiedam Hoorn Alkmaar Emmen Assen Kampen Meppel Hengelo Venlo Roermond Sittard Middelburg
Vlissingen Terneuzen Zutphen Doetinchem Ede Wageningen Veenendaal Hilversum Zaandam Purmerend
Harderwijk Tiel Oss Helmond Roosendaal Winterswijk Sneek Drachten Heerenveen Steenwijk Coevorden
Hardenberg Oldenzaal Goes Zierikzee Katwijk
"""

FIRST_NAMES = """
Anouk Bram Fatima Henk Ingrid Jeroen Karin Lotte Mohammed Noor Pieter Sanne Thijs Wilma Yusuf
Esther Marco Linda Ahmed Eva Joost Marieke Sven Hanneke Daan Ayşe Ruud Femke Kees Ilse Bas Nadia
Gerrit Roos Hamza Tineke Luuk Saskia Erik Judith Willem Fenna Omar Petra Ruben Annelies Bart Zeynep
"""

LAST_NAMES = """
de_Vries Jansen de_Boer Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks van_Dijk
Dekker Brouwer de_Wit Dijkstra Smits de_Graaf van_der_Meer Kok Jacobs de_Haan Vermeulen
van_den_Berg Schouten Willems Hoekstra Koster Prins Postma Kuipers Huisman Veenstra Yılmaz
El_Amrani Boukhari Kaya Wolters Kramer Haverkamp Timmermans Lammers Evers Groot Claassen
"""

ROLES = [
    "wijkverpleegkundige",
    "procesbegeleider",
    "schoolleider",
    "beleidsmedewerker",
    "mantelzorgconsulent",
    "jongerenwerker",
    "huisarts",
    "energiecoach",
    "opbouwwerker",
    "wethouder",
    "leerkracht",
    "vrijwilliger",
]

ORGANISATIONS = [
    "de gemeente",
    "het wijkteam",
    "de huisartsenpraktijk",
    "de woningcorporatie",
    "de bibliotheek",
    "het buurthuis",
    "de GGD",
    "het welzijnswerk",
    "de thuiszorg",
    "het samenwerkingsverband",
    "het schoolbestuur",
    "de provincie",
    "het zorgkantoor",
    "de energiecoöperatie",
    "het sociaal werk",
    "de hogeschool",
    "het jongerenwerk",
    "de wijkverpleging",
    "de voedselbank",
    "het waterschap",
]

TIMES = [
    "in het voorjaar",
    "na de zomer",
    "in de afgelopen twee jaar",
    "sinds vorig jaar",
    "tijdens de coronaperiode",
    "elke maandagochtend",
    "eens per maand",
    "aan het begin van het schooljaar",
    "in de eerste maanden",
    "rond de jaarwisseling",
    "na de evaluatie",
    "in de winter",
    "tijdens de pilot",
    "bij de start",
]

# Slots: {N} de/het noun, {NA} de/het adjective noun, {n} bare noun, {P} plural noun,
# {AP} adjective plural, {G} people, {V} verb, {Vp} plural verb, {Vpp} participle,
# {a} predicative adjective, {L} place, {O} organisation, {T} time, {num} a number.
SENTENCES = [
    "In {L} {Vp} {G} samen met {O} {AP}.",
    "{T} hebben we {AP} {Vpp}.",
    "Het doel was om {N} te {Vp}, zodat {G} minder last hebben van {n}.",
    "Wat goed werkte: {AP} en een vaste contactpersoon bij {O}.",
    "{G} gaven aan dat {NA} vaak te laat in beeld komt.",
    "Daardoor {V} {NA} {G} beter dan voorheen.",
    "De samenwerking tussen {P} en {G} bleek {a}.",
    "We merkten dat {n} en {n} sterk met elkaar samenhangen.",
    "Een belangrijke les is dat je {G} vanaf het begin betrekt bij {n}.",
    "Met {num} {G} hielden we {T} een bijeenkomst over {n}.",
    "Tijdens {N} kwam naar voren dat {n} voor veel {G} een drempel is.",
    "{O} {V} {AP} met een kleine bijdrage uit het budget voor {n}.",
    "Niet alles ging goed: {NA} bleek {a} en kostte meer tijd dan gedacht.",
    "Wie met {n} aan de slag wil, kan het beste beginnen bij {NA}.",
    "Volgens {G} in {L} helpt het om {n} klein en concreet te houden.",
    "Wij {Vp} {AP} door te werken vanuit {n}.",
    "De aanpak sluit aan bij {NA} en bij de wensen van {G}.",
    "Zo ontstond {T} een netwerk van {P}, {G} en {O}.",
    "Onze ervaring is dat {AP} pas werken als er ruimte is voor {n}.",
    "Het project liep {num} maanden en werd betaald door {O}.",
    "Bij de evaluatie noemden {G} vooral {n} en {n} als winst.",
    "Het is {a} om {P} regelmatig te {Vp}.",
    "Voor {G} met weinig tijd maakten we een korte handreiking over {n}.",
    "Lastig bleef de vraag hoe je {n} goed meet.",
    "De kerngroep besloot {T} om {AP} centraal te zetten.",
    "Uit gesprekken met {G} bleek dat {n} vaak wordt onderschat.",
    "We werken nu met een vast stappenplan voor {n}: signaleren, bespreken, doorverwijzen "
    "en nazorg.",
    "Dat vraagt om {AP} en om {n} die past bij de wijk.",
    "In {L} {V} {O} {N} en dat merken {G} direct.",
    "Ook {G} uit {L} sloten aan, omdat {N} daar net zo speelt.",
    "De grootste winst zat in {NA}, niet in {AP}.",
    "Achteraf hadden we {G} eerder moeten vragen wat zij nodig hebben rond {n}.",
    "{G} weten elkaar nu makkelijker te vinden, ook buiten {N} om.",
    "{Person}, {role} in {L}, vertelt: 'Bij ons begon het met {n}.'",
    "Samen met {Person} van {O} schreven we een notitie over {AP}.",
    "Een wijkverpleegkundige vertelde: 'Zonder {n} hadden we deze {G} nooit gevonden.'",
    "Wat ons verraste, was hoe {a} {N} voor {G} is.",
    "We hebben {num} keer een ronde langs {P} gedaan en {AP} {Vpp}.",
    "In de tweede fase {V} {O} {AP} in {L} en omgeving.",
    "De gesprekken aan de keukentafel gingen vaak over {n}, {n} en geld.",
    "Voor de volgende ronde willen we {n} beter verankeren in {N}.",
    "Het helpt als er één vast aanspreekpunt is voor {n}.",
]

TITLES = {
    "practice_story": [
        "Hoe {G} in {L} {n} aanpakten",
        "Praktijkverhaal: {n} in {L}",
        "{Cn} in de wijk: wat we leerden in {L}",
        "Van {n} naar {n}: een verhaal uit {L}",
    ],
    "lesson_learned": [
        "Geleerde les: {n} vraagt om {n}",
        "Wat we leerden over {n} met {G}",
        "Begin niet met {n}, begin met {G}",
    ],
    "toolkit": ["Toolkit {n} voor {G}", "Gereedschapskist {n}", "Werkvormen voor {n}"],
    "step_plan": ["Stappenplan {n}", "In {num} stappen naar {AS} {n}", "Stappenplan {n} in {L}"],
    "webinar": ["Webinar: {n} in de praktijk", "Terugkijken: webinar over {n} en {n}"],
    "handout": ["Hand-out {n} voor {G}", "Spiekbrief {n}", "Korte uitleg over {n}"],
    "course": ["Cursus {n} voor {G}", "Leergang {n}", "Training {n} voor {G} in {L}"],
    "practice_example": [
        "Voorbeeld: {n} in {L}",
        "Goed voorbeeld van {n} bij {O}",
        "{Cn} met {G} in {L}",
    ],
    "link": ["Onderzoek naar {n} onder {G}", "Factsheet {n} {year}", "Rapport: {n} in {L}"],
}

KINDS = [
    ("practice_story", 22),
    ("practice_example", 18),
    ("lesson_learned", 14),
    ("handout", 10),
    ("toolkit", 8),
    ("step_plan", 8),
    ("link", 8),
    ("webinar", 6),
    ("course", 6),
]

THEMES = """
samenwerking|zorg en welzijn|preventie|vrijwilligerswerk|digitale vaardigheden|
professionalisering|intervisie|zelfregie|ervaringsdeskundigheid|cultuursensitief werken
"""


def _lines(block: str) -> list[list[str]]:
    return [line.split() for line in block.strip().splitlines() if line.strip()]


class Zipf:
    """Draw items by rank with weight 1 / (rank + q) ** s (Zipf-Mandelbrot)."""

    def __init__(self, population: list, rng: random.Random, *, s: float = 1.0, q: float = 2.7):
        self.population = population
        self.cum = list(
            itertools.accumulate(1.0 / (r + q) ** s for r in range(1, len(population) + 1))
        )
        self.total = self.cum[-1]
        self.random = rng.random

    def __call__(self):
        return self.population[bisect.bisect(self.cum, self.random() * self.total)]


_SLOT = re.compile(r"\{(\w+)\}")


def _parse(template: str) -> list[tuple[str, str]]:
    """A template as (literal, slot) pairs; the last slot is empty."""
    parts, pos = [], 0
    for m in _SLOT.finditer(template):
        parts.append((template[pos : m.start()], m.group(1)))
        pos = m.end()
    parts.append((template[pos:], ""))
    return parts


class Corpus:
    def __init__(self, seed: int = 42) -> None:
        rng = self.rng = random.Random(seed)
        tails = [tuple(x) for x in _lines(COMPOUND_TAILS)]
        self.general_noun = Zipf([tuple(x) for x in _lines(GENERAL_NOUNS)], rng, s=1.0)
        self.topics = {
            name: (
                Zipf([tuple(x) for x in _lines(nouns)], rng, s=1.0),
                Zipf(groups.split(), rng, s=0.9),
                Zipf(themes.split("|"), rng, s=0.8),
            )
            for name, (nouns, groups, themes) in TOPICS.items()
        }
        self.topic_names = list(TOPIC_WEIGHTS)
        self.topic_cum = list(itertools.accumulate(TOPIC_WEIGHTS.values()))
        self.primary = self.secondary = self.topics[self.topic_names[0]]
        self.head = Zipf(COMPOUND_HEADS.split(), rng, s=1.0)
        self.tail = Zipf(tails, rng, s=1.0)
        self.general_group = Zipf(GROUPS.split(), rng, s=1.0)
        self.verb = Zipf([tuple(x) for x in _lines(VERBS)], rng, s=1.0)
        self.adj = Zipf([tuple(x) for x in _lines(ADJECTIVES)], rng, s=1.0)
        self.place = Zipf(PLACES.split(), rng, s=1.3)
        self.org = Zipf(ORGANISATIONS, rng, s=1.0)
        self.first = Zipf(FIRST_NAMES.split(), rng, s=0.7)
        self.last = Zipf([n.replace("_", " ") for n in LAST_NAMES.split()], rng, s=0.7)
        self.role = Zipf(ROLES, rng, s=1.0)
        self.time = Zipf(TIMES, rng, s=0.8)
        self.theme = Zipf([t.strip() for t in THEMES.replace("\n", "").split("|")], rng, s=1.0)
        self.sentence = Zipf([_parse(s) for s in SENTENCES], rng, s=0.6, q=8)
        self.titles = {kind: [_parse(t) for t in ts] for kind, ts in TITLES.items()}
        self.kinds = [k for k, _w in KINDS]
        self.kind_cum = list(itertools.accumulate(w for _k, w in KINDS))
        self.fill = {
            "N": lambda: " ".join(self._noun()[:2]),
            "NA": self._noun_adj,
            "n": lambda: self._noun()[1],
            "Cn": lambda: self._noun()[1].capitalize(),
            "P": lambda: self._noun()[2],
            "AP": lambda: self.adj()[1] + " " + self._noun()[2],
            "AS": lambda: self.adj()[1],
            "G": self.group,
            "V": lambda: self.verb()[0],
            "Vp": lambda: self.verb()[1],
            "Vpp": lambda: self.verb()[2],
            "a": lambda: self.adj()[0],
            "L": self.place,
            "Person": lambda: f"{self.first()} {self.last()}",
            "role": self.role,
            "O": self.org,
            "T": self.time,
            "num": lambda: str(rng.randint(2, 40)),
            "year": lambda: str(rng.randint(2015, 2025)),
        }

    def _topic(self) -> tuple:
        return self.topics[
            self.topic_names[bisect.bisect(self.topic_cum, self.rng.random() * self.topic_cum[-1])]
        ]

    def noun(self) -> tuple[str, str, str]:
        """Mostly from the item's topic, else from the words every item uses."""
        r = self.rng.random()
        if r < 0.5:
            return self.primary[0]()
        if r < 0.65:
            return self.secondary[0]()
        return self.general_noun()

    def group(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return self.primary[1]()
        if r < 0.65:
            return self.secondary[1]()
        return self.general_group()

    def _noun(self) -> tuple[str, str, str]:
        """A noun; one in six is a compound of a head and a tail, and one in five of those
        has two heads ("wijkouderenoverleg"): the long tail of rare words."""
        if self.rng.random() < 1 / 6:
            head = self.head()
            if self.rng.random() < 0.2:
                second = self.head()
                head = head + second if second != head else head
            article, sing, plural = self.tail()
            return article, head + sing, head + plural
        return self.noun()

    def _noun_adj(self) -> str:
        article, sing, _plural = self._noun()
        return f"{article} {self.adj()[1]} {sing}"

    def _render(self, parts: list[tuple[str, str]]) -> str:
        fill = self.fill
        return "".join(lit + (fill[slot]() if slot else "") for lit, slot in parts)

    def _sentence(self) -> str:
        s = self._render(self.sentence())
        return s[0].upper() + s[1:]

    def body(self, words: int) -> str:
        paragraphs, paragraph, count = [], [], 0
        target = self.rng.randint(3, 7)
        while count < words:
            s = self._sentence()
            paragraph.append(s)
            count += s.count(" ") + 1
            if len(paragraph) >= target:
                paragraphs.append(" ".join(paragraph))
                paragraph, target = [], self.rng.randint(3, 7)
        if paragraph:
            paragraphs.append(" ".join(paragraph))
        return "\n\n".join(paragraphs)

    def item(self, number: int, *, start: datetime, step: timedelta) -> dict:
        rng = self.rng
        kind = self.kinds[bisect.bisect(self.kind_cum, rng.random() * self.kind_cum[-1])]
        # One topic, and in a third of the items a second one.
        self.primary = self._topic()
        self.secondary = self._topic() if rng.random() < 1 / 3 else self.primary
        title = self._render(rng.choice(self.titles[kind]))
        title = title[0].upper() + title[1:]
        # Lengths: mostly 200-400 words, a tail up to 600 (a triangular distribution).
        body = self.body(int(rng.triangular(150, 600, 260)))
        tags = [self.primary[2]() for _ in range(rng.randint(1, 3))]
        if self.secondary is not self.primary and rng.random() < 0.7:
            tags.append(self.secondary[2]())
        if rng.random() < 0.3:
            tags.append(self.theme())
        tags = list(dict.fromkeys(tags))
        doc = {
            "kind": kind,
            "title": title,
            "body": body,
            "tags": tags,
            "created_at": start + step * number + timedelta(seconds=rng.randint(0, 3600)),
        }
        if kind == "link":
            doc["url"] = f"https://kennis.example.nl/publicaties/{number}"
        return doc


def items(n: int, *, seed: int = 42) -> Iterator[dict]:
    """n items, one at a time; created_at spread evenly over three years."""
    corpus = Corpus(seed)
    start = datetime(2023, 1, 1, 8, 0, tzinfo=UTC)
    step = timedelta(days=3 * 365) / max(n, 1)
    for number in range(n):
        yield corpus.item(number, start=start, step=step)


def _main() -> None:
    import time

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--show", type=int, default=1, help="print this many items in full")
    args = parser.parse_args()
    counts: Counter = Counter()
    lengths = []
    began = time.perf_counter()
    for i, doc in enumerate(items(args.items, seed=args.seed)):
        if i < args.show:
            print(f"[{doc['kind']}] {doc['title']}  {doc['tags']}\n{doc['body']}\n")
        words = re.findall(r"\w+", doc["body"].lower())
        lengths.append(len(words))
        counts.update(words)
    elapsed = time.perf_counter() - began
    lengths.sort()
    total = sum(counts.values())
    print(f"{args.items} items in {elapsed:.2f} s ({args.items / elapsed:,.0f} items/s)")
    print(
        f"body words: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}; "
        f"{total:,} words, {len(counts):,} distinct"
    )
    print("rank  count    share  word")
    for rank, (word, count) in enumerate(counts.most_common(), start=1):
        if rank <= 10 or rank in (20, 50, 100, 200, 500, 1000, 2000) or rank == len(counts):
            print(f"{rank:>5} {count:>7} {count / total:>7.3%}  {word}")
    once = sum(1 for c in counts.values() if c == 1)
    print(f"words seen once: {once:,} ({once / len(counts):.0%} of distinct words)")


if __name__ == "__main__":
    _main()


# A small hand-made library for Dutch compound words (bench_search.py measures recall and
# precision on it, in a community of its own): key -> (title, body). Each query word below
# occurs only in the items listed with it, as a word or as a part of a compound.
COMPOUND_ITEMS = {
    "regiotaxi": (
        "De Regiotaxi rijdt ook op zondag",
        "Ouderen in Drenthe reizen met de regiotaxi naar de dagbesteding.",
    ),
    "taxi": ("Met de taxi naar het ziekenhuis", "Een rit vooraf bestellen scheelt wachten."),
    "taxibus": (
        "Een taxibus voor de dagbesteding",
        "Wie slecht ter been is, wordt thuis opgehaald.",
    ),
    "mantelzorgondersteuning": (
        "Mantelzorgondersteuning in Zwolle",
        "Wat de gemeente doet voor wie voor een naaste zorgt.",
    ),
    "mantelzorgcafe": (
        "Een mantelzorgcafé in de bibliotheek",
        "Elke maand koffie en een gesprek met lotgenoten.",
    ),
    "thuiszorg": (
        "Thuiszorg en wijkverpleging",
        "Twee organisaties maken afspraken over de overdracht.",
    ),
    "ouderenzorg": (
        "Ouderenzorg in een krimpregio",
        "Minder jongeren, meer vraag: hoe houden we het vol?",
    ),
    "jeugdzorg": ("Wachtlijsten in de jeugdzorg", "Ouders wachten maanden op hulp voor hun kind."),
    "gezondheidszorg": ("De kosten van de gezondheidszorg", "Een rekensom voor de raad."),
    "taalcafe": ("Het taalcafé", "Nieuwkomers oefenen Nederlands met vrijwilligers."),
    "buurthuis": ("Het buurthuis gaat weer open", "Na de verbouwing is er plek voor vijf clubs."),
    "wijkteam": ("Het wijkteam zoekt vrijwilligers", "Meld je aan voor een kennismaking."),
    "wijkteamoverleg": (
        "Verslag van het wijkteamoverleg",
        "Vijf casussen besproken, twee afgerond.",
    ),
    "energiecoach": (
        "Energiecoaches aan huis",
        "De energiecoach geeft tips voor een lagere rekening.",
    ),
    "energiearmoede": (
        "Energiearmoede aanpakken",
        "Een fonds voor gezinnen met een hoge rekening.",
    ),
    "armoedebestrijding": (
        "Armoedebestrijding met de voedselbank",
        "Pakketten en advies op één plek.",
    ),
    "schuldhulpverlening": (
        "Vroegsignalering in de schuldhulpverlening",
        "Betalingsachterstanden eerder zien.",
    ),
    "kinderopvang": ("Kinderopvang voor ouders met weinig geld", "Een regeling van de gemeente."),
    "moestuin": ("Een moestuin bij de school", "Kinderen leren over groente en seizoenen."),
    "samenwerking": (
        "Samenwerking tussen school en sportclub",
        "Afspraken over gymles na schooltijd.",
    ),
    "ondersteuning": ("Ondersteuning bij formulieren", "Hulp bij het invullen van aanvragen."),
    "gemeenschapszin": ("Gemeenschapszin in het dorp", "Iedereen kent elkaar en helpt mee."),
    "eenzaamheid": ("Eenzaamheid onder ouderen", "Een bezoekdienst van vrijwilligers."),
    "gesprekken": ("Goede gesprekken aan de keukentafel", "Luisteren voordat je iets voorstelt."),
}

# query -> the items a person searching for it wants (every other hit counts against
# precision). "werking", "steuning", "schap" and "rekken" look like parts but are none.
COMPOUND_QUERIES = {
    "taxi": {"regiotaxi", "taxi", "taxibus"},
    "zorg": {
        "mantelzorgondersteuning",
        "mantelzorgcafe",
        "thuiszorg",
        "ouderenzorg",
        "jeugdzorg",
        "gezondheidszorg",
    },
    "mantelzorg": {"mantelzorgondersteuning", "mantelzorgcafe"},
    "café": {"mantelzorgcafe", "taalcafe"},
    "buurt": {"buurthuis"},
    "wijkteam": {"wijkteam", "wijkteamoverleg"},
    "overleg": {"wijkteamoverleg"},
    "energie": {"energiecoach", "energiearmoede"},
    "coach": {"energiecoach"},
    "armoede": {"energiearmoede", "armoedebestrijding"},
    "schuld": {"schuldhulpverlening"},
    "hulpverlening": {"schuldhulpverlening"},
    "opvang": {"kinderopvang"},
    "tuin": {"moestuin"},
    "werking": set(),
    "steuning": set(),
    "schap": set(),
    "rekken": set(),
}

# Queries whose first hit must be the item with the query as a word of its own.
COMPOUND_WHOLE_WORD_FIRST = {"taxi": "taxi", "wijkteam": "wijkteam"}
