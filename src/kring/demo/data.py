"""The demo's content: three communities and the people in them. Fictional, but true to life.

Each person's `look` tells the avatar illustrator what to draw: a hair style, optionally a hair
colour, `beard` and/or `glasses`, and `tone:N` for the skin tone (0 light ... 7 deep).
"""

import unicodedata
from dataclasses import dataclass

EMAIL_DOMAIN = "kring.example"
# Letters that Unicode does not decompose into a plain letter plus an accent.
_TRANSLITERATE = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae"})


@dataclass(frozen=True)
class CommunitySpec:
    key: str
    slug: str
    name: str
    theme: str
    urgency: str
    shared_goal: str
    signature: str
    ground_rules: list[str]
    visibility: str
    target_mix: dict[str, int]
    started_days_ago: int


@dataclass(frozen=True)
class PersonSpec:
    name: str
    organisation: str
    job_title: str
    bio: str
    perspectives: list[str]
    help_tags: list[str]
    seeking_tags: list[str]
    # (community key, role); the first is where the person started.
    memberships: list[tuple[str, str]]
    look: str
    email: str = ""

    @property
    def address(self) -> str:
        return self.email or email_for(self.name)


ADMIN = PersonSpec(
    name="Noor Vermeer",
    email=f"beheer@{EMAIL_DOMAIN}",
    organisation="Kring",
    job_title="Functioneel beheerder",
    bio=(
        "Ik zorg ervoor dat Kring soepel draait: accounts, instellingen en de vragen die "
        "daarbij horen. Loop je ergens tegenaan op het platform? Stuur me gerust een bericht."
    ),
    perspectives=[],
    help_tags=["Kring gebruiken", "privacy"],
    seeking_tags=[],
    memberships=[],
    look="bob brown glasses tone:1",
)

COMMUNITIES = [
    CommunitySpec(
        key="zorg",
        slug="langer-thuis-rivierenland",
        name="Langer thuis in de regio Rivierenland",
        theme=(
            "Hoe zorgen we er samen voor dat ouderen in Rivierenland zo lang mogelijk prettig "
            "thuis kunnen wonen? Het gaat over zorg en ondersteuning, maar net zo goed over "
            "wonen, ontmoeting en de rol van mantelzorgers en buren."
        ),
        urgency=(
            "Het aantal 75-plussers in onze dorpen en kernen groeit snel, terwijl er steeds "
            "minder handen zijn. Wijkverpleging, huisartsen en welzijn lopen tegen dezelfde "
            "grenzen aan, mantelzorgers raken overbelast en een plek in het verpleeghuis is "
            "schaars. Als we blijven werken zoals we gewend zijn, lopen we vast."
        ),
        shared_goal=(
            "Eind 2027 weet elke oudere in de regio bij wie hij of zij terechtkan. We vangen "
            "signalen van eenzaamheid en overbelasting eerder op, en wijkteams, huisartsen en "
            "vrijwilligers werken vanuit één gezamenlijk beeld van wat iemand nodig heeft."
        ),
        signature=(
            "Eens in de zes weken komen we bij elkaar, steeds op een andere plek in de regio: "
            "een buurthuis, een huisartsenpraktijk, soms gewoon een keukentafel. We nemen echte "
            "casussen mee en werken aan vragen waar niemand in zijn eentje uitkomt. Ouderen en "
            "mantelzorgers schuiven aan als volwaardige deelnemers, niet als publiek."
        ),
        ground_rules=[
            "We praten mét ouderen en mantelzorgers, niet over hen.",
            "Casussen bespreken we zonder namen; wat over personen gezegd wordt, blijft hier.",
            "Iedereen spreekt vanuit de eigen ervaring, niet namens de eigen organisatie.",
            "Eerst vragen stellen, dan pas oplossingen aandragen.",
            "Mislukte pogingen delen we net zo graag als successen.",
            "Wie iets toezegt, vertelt de volgende keer hoe het ervoor staat.",
        ],
        visibility="public",
        target_mix={
            "professional": 25,
            "municipality": 15,
            "volunteer": 15,
            "client": 10,
            "citizen": 10,
            "experience-expert": 10,
            "research": 5,
            "education": 5,
            "funder": 5,
        },
        started_days_ago=355,
    ),
    CommunitySpec(
        key="school",
        slug="schoolleiders-kansrijk-leren",
        name="Schoolleidersnetwerk Kansrijk Leren",
        theme=(
            "Schoolleiders uit het primair en voortgezet onderwijs leren van en met elkaar over "
            "kansengelijkheid, het lerarentekort en de samenwerking tussen school, jeugdhulp "
            "en ouders."
        ),
        urgency=(
            "Vacatures blijven openstaan, de verschillen tussen leerlingen worden groter en "
            "steeds meer kinderen hebben extra ondersteuning nodig. Schoolleiders staan er vaak "
            "alleen voor en hebben weinig tijd om over de muren van hun eigen school te kijken."
        ),
        shared_goal=(
            "Elk kind in onze regio krijgt een passende plek, en schoolleiders hoeven niet "
            "allemaal opnieuw het wiel uit te vinden. Concreet: een gedeelde aanpak voor de "
            "overstap van po naar vo en een regionale pool voor startende leraren."
        ),
        signature=(
            "Een vaste groep van zo'n vijftien schoolleiders die elkaar vier keer per jaar een "
            "middag treft, om beurten op elkaars school. We beginnen altijd met een rondje door "
            "de school van de gastheer of gastvrouw. Tussendoor stellen we elkaar vragen hier "
            "op Kring."
        ),
        ground_rules=[
            "Wat er gezegd wordt over collega's, leerlingen of besturen, blijft in de kring.",
            "We zitten hier als schoolleider, niet als vertegenwoordiger van ons bestuur.",
            "Wie een aanpak deelt, vertelt ook wat er niet werkte.",
            "We beginnen en eindigen op tijd.",
            "Elke vraag van een collega verdient een antwoord, al is het 'ik weet het ook niet'.",
        ],
        visibility="private",
        target_mix={
            "education": 50,
            "research": 15,
            "professional": 15,
            "municipality": 10,
            "citizen": 10,
        },
        started_days_ago=310,
    ),
    CommunitySpec(
        key="energie",
        slug="energiekring-vogelwijk",
        name="Energiekring Vogelwijk",
        theme=(
            "Bewoners, de woningcorporatie, de gemeente en ondernemers uit de buurt zoeken samen "
            "uit hoe de Vogelwijk van het gas af kan, op een manier die ook voor huurders en "
            "mensen met een kleine beurs haalbaar is."
        ),
        urgency=(
            "De energierekening drukt zwaar op een deel van de buren, terwijl de gemeente de "
            "wijk heeft aangewezen als een van de eerste aardgasvrije buurten. Bewoners horen "
            "veel plannen, maar weten niet wat het voor hun eigen huis betekent."
        ),
        shared_goal=(
            "Binnen twee jaar ligt er een wijkuitvoeringsplan waar bewoners zelf aan hebben "
            "meegeschreven. Tot die tijd maken we zoveel mogelijk woningen met eenvoudige "
            "maatregelen zuiniger."
        ),
        signature=(
            "Een open kring die elke maand samenkomt in buurthuis De Spreeuw. Energiecoaches, "
            "huurders, eigenaren en professionals zitten aan dezelfde tafel. Er is koffie, "
            "kinderen zijn welkom en we praten gewoon Nederlands, geen beleidstaal."
        ),
        ground_rules=[
            "Geen vakjargon: wie een afkorting gebruikt, legt hem uit.",
            "Huurders en eigenaren hebben evenveel stem.",
            "We luisteren naar zorgen, ook als we het er niet mee eens zijn.",
            "Hier wordt niets verkocht: bedrijven delen kennis, geen offertes.",
            "Over de wijk beslissen we niet zonder de mensen die er wonen.",
        ],
        visibility="private",
        target_mix={
            "citizen": 40,
            "municipality": 15,
            "volunteer": 15,
            "business": 15,
            "professional": 10,
            "research": 5,
        },
        started_days_ago=150,
    ),
]

F, C, M, G = "facilitator", "core", "member", "guest"

PEOPLE = [
    # --- Langer thuis in de regio Rivierenland ---------------------------------------------
    PersonSpec(
        name="Marieke Jansen",
        organisation="Welzijn Rivierenland",
        job_title="Opbouwwerker en procesbegeleider",
        bio=(
            "Al vijftien jaar werk ik in de dorpen rond Tiel, eerst als ouderenwerker en nu als "
            "opbouwwerker. Ik geloof dat de beste ideeën ontstaan als je mensen bij elkaar zet "
            "die elkaar normaal niet tegenkomen. In deze kring zorg ik dat iedereen aan het "
            "woord komt."
        ),
        perspectives=["professional"],
        help_tags=["procesbegeleiding", "eenzaamheid", "buurtnetwerken"],
        seeking_tags=["ervaringsdeskundigen"],
        memberships=[("zorg", F)],
        look="long blonde tone:0",
    ),
    PersonSpec(
        name="Ruben Hoekstra",
        organisation="Hogeschool Gelderland",
        job_title="Lector Zorg in de Wijk",
        bio=(
            "Ik doe praktijkgericht onderzoek naar hoe zorg en welzijn in de wijk samenwerken. "
            "Liever dan een rapport dat in een la verdwijnt, leer ik samen met de mensen die "
            "het werk doen. Ik begeleid deze kring samen met Marieke en schuif ook aan bij de "
            "schoolleiders."
        ),
        perspectives=["research", "education"],
        help_tags=["praktijkonderzoek", "evaluatie", "procesbegeleiding"],
        seeking_tags=["casuïstiek", "onderwijspartners"],
        memberships=[("zorg", F), ("school", M)],
        look="short brown beard glasses tone:1",
    ),
    PersonSpec(
        name="Fatma Yılmaz",
        organisation="Thuiszorg De Linge",
        job_title="Wijkverpleegkundige",
        bio=(
            "Ik kom elke dag bij ouderen thuis in Culemborg en zie daar veel meer dan alleen "
            "de zorgvraag. Eenzaamheid en een overbelaste partner zijn vaak het echte probleem. "
            "Ik wil dat we die signalen sneller met elkaar delen."
        ),
        perspectives=["professional"],
        help_tags=["wijkverpleging", "medicatie", "valpreventie"],
        seeking_tags=["eenzaamheid", "mantelzorg"],
        memberships=[("zorg", C)],
        look="hijab tone:3",
    ),
    PersonSpec(
        name="Henk van der Molen",
        organisation="Cliëntenraad Zorggroep Betuwe",
        job_title="Voorzitter cliëntenraad",
        bio=(
            "Na mijn pensioen ben ik in de cliëntenraad gestapt, toen mijn vrouw thuiszorg "
            "kreeg. Ik weet hoe het voelt als er steeds een ander gezicht aan de deur staat. "
            "Ik praat graag mee, maar vooral: ik luister naar andere ouderen."
        ),
        perspectives=["client", "experience-expert"],
        help_tags=["cliëntenparticipatie", "mantelzorg", "ouderenzorg"],
        seeking_tags=["zorgtechnologie"],
        memberships=[("zorg", C)],
        look="bald white glasses tone:0",
    ),
    PersonSpec(
        name="Ingrid Bos",
        organisation="Gemeente Tiel",
        job_title="Beleidsadviseur Wmo",
        bio=(
            "Ik schrijf beleid voor de Wmo, maar ik wil weten hoe het uitpakt aan de "
            "keukentafel. In deze kring toets ik plannen bij de mensen om wie het gaat. Ik kan "
            "helpen de weg te vinden in regelingen en potjes."
        ),
        perspectives=["municipality"],
        help_tags=["Wmo", "subsidies", "inkoop zorg"],
        seeking_tags=["wonen met zorg", "valpreventie"],
        memberships=[("zorg", C)],
        look="bob grey tone:0",
    ),
    PersonSpec(
        name="Priya Ramdin",
        organisation="Huisartsenpraktijk De Waalkant",
        job_title="Praktijkondersteuner ouderenzorg",
        bio=(
            "Als POH ouderenzorg zie ik kwetsbare ouderen vaak als eerste. Ik leg graag "
            "verbindingen tussen de praktijk en het wijkteam, zodat niemand tussen wal en schip "
            "valt. Ik werk veel met mensen met beginnende dementie."
        ),
        perspectives=["professional"],
        help_tags=["dementie", "huisbezoek", "kwetsbare ouderen"],
        seeking_tags=["wijkteam"],
        memberships=[("zorg", C)],
        look="long black tone:4",
    ),
    PersonSpec(
        name="Gerrit Kuipers",
        organisation="Mantelzorger",
        job_title="Gepensioneerd timmerman",
        bio=(
            "Mijn vrouw Riek heeft alzheimer en ik zorg voor haar, thuis in Geldermalsen. Dat "
            "gaat nog, met hulp van de kinderen en de dagbesteding. Ik doe mee omdat ik wil "
            "dat andere mantelzorgers sneller horen wat er allemaal kan."
        ),
        perspectives=["citizen", "experience-expert"],
        help_tags=["mantelzorg", "dementie"],
        seeking_tags=["respijtzorg", "lotgenotencontact"],
        memberships=[("zorg", M)],
        look="short white tone:1",
    ),
    PersonSpec(
        name="Anouk Verbeek",
        organisation="Sociaal Wijkteam Culemborg",
        job_title="Casusregisseur",
        bio=(
            "In het wijkteam help ik mensen als er veel tegelijk speelt: zorg, geld, wonen. "
            "Ik ben goed in het ontwarren van ingewikkelde situaties en in het aan tafel krijgen "
            "van de juiste mensen."
        ),
        perspectives=["professional", "municipality"],
        help_tags=["wijkteam", "casuïstiek", "schulden"],
        seeking_tags=["dementie"],
        memberships=[("zorg", M)],
        look="ponytail brown tone:0",
    ),
    PersonSpec(
        name="Kees Willemsen",
        organisation="Vrijwilligerscentrale Bommelerwaard",
        job_title="Vrijwilliger boodschappendienst",
        bio=(
            "Twee ochtenden per week rijd ik ouderen naar de markt, de kapper of het "
            "ziekenhuis. Onderweg hoor je van alles. Ik wil graag weten bij wie ik terechtkan "
            "als ik me zorgen maak over iemand."
        ),
        perspectives=["volunteer"],
        help_tags=["vrijwilligerswerk", "vervoer", "eenzaamheid"],
        seeking_tags=["signalen delen"],
        memberships=[("zorg", M)],
        look="short grey beard tone:0",
    ),
    PersonSpec(
        name="Joyce Martina",
        organisation="Zorgkantoor Gelderland-Zuid",
        job_title="Inkoopadviseur wijkzorg",
        bio=(
            "Ik koop zorg in voor de regio en merk dat goede ideeën soms stranden op de "
            "financiering. Hier leer ik wat er in de praktijk nodig is, en denk ik mee over "
            "hoe we anders kunnen bekostigen."
        ),
        perspectives=["funder"],
        help_tags=["financiering", "zorginkoop", "pilots"],
        seeking_tags=["zorgtechnologie"],
        memberships=[("zorg", M)],
        look="curly black tone:5",
    ),
    PersonSpec(
        name="Wim de Groot",
        organisation="Woonstichting Betuwe Thuis",
        job_title="Wooncoach senioren",
        bio=(
            "Ik bezoek oudere huurders en kijk samen met hen of hun huis nog past. Een "
            "traplift, een drempel weg, of toch verhuizen naar een woning dichter bij het dorp. "
            "Sinds kort denk ik ook mee over de verduurzaming van onze woningen."
        ),
        perspectives=["professional"],
        help_tags=["levensloopbestendig wonen", "woningaanpassingen", "huurders"],
        seeking_tags=["valpreventie", "isolatie"],
        memberships=[("zorg", M), ("energie", M)],
        look="short brown glasses tone:1",
    ),
    PersonSpec(
        name="Lotte Smit",
        organisation="Hogeschool Gelderland",
        job_title="Student verpleegkunde",
        bio=(
            "Ik zit in mijn derde jaar en loop stage in de wijkverpleging. Ik wil graag zien "
            "hoe al die organisaties samenwerken, en ik kan helpen met het uitzoeken van "
            "literatuur of het opzetten van een kleine enquête."
        ),
        perspectives=["education"],
        help_tags=["literatuuronderzoek", "enquêtes"],
        seeking_tags=["stageplek", "wijkverpleging"],
        memberships=[("zorg", M)],
        look="bun red tone:0",
    ),
    PersonSpec(
        name="Ahmed Bouzid",
        organisation="Sportservice Buren",
        job_title="Buurtsportcoach 55+",
        bio=(
            "Ik geef beweeglessen in buurthuizen en de cursus 'In Balans' tegen vallen. Het "
            "mooiste vind ik als mensen na de les blijven hangen voor koffie. Bewegen is bij "
            "mij altijd ook ontmoeten."
        ),
        perspectives=["professional"],
        help_tags=["valpreventie", "bewegen", "ontmoeting"],
        seeking_tags=["doorverwijzing huisarts"],
        memberships=[("zorg", M)],
        look="short black beard tone:4",
    ),
    PersonSpec(
        name="Truus Hendriks",
        organisation="Inwoner van Beesd",
        job_title="Gepensioneerd onderwijzeres",
        bio=(
            "Ik ben 81 en woon nog zelfstandig, met een rollator en een goede buurvrouw. Ik "
            "vertel graag hoe het is om oud te worden in een dorp waar de bus niet meer komt. "
            "En ik wil weten wat de jongelui daarmee doen."
        ),
        perspectives=["client", "citizen"],
        help_tags=["ervaringsverhalen", "dorpsleven"],
        seeking_tags=["vervoer"],
        memberships=[("zorg", M)],
        look="curly white glasses tone:0",
    ),
    PersonSpec(
        name="Dewi Sasmita",
        organisation="Zorggroep Betuwe",
        job_title="Casemanager dementie",
        bio=(
            "Ik begeleid mensen met dementie en hun naasten vanaf de diagnose. Ik zie hoeveel "
            "mantelzorgers op hun tenen lopen. Samen met de huisartsen wil ik een route maken "
            "die voor iedereen in de regio hetzelfde is."
        ),
        perspectives=["professional"],
        help_tags=["dementie", "mantelzorg", "casemanagement"],
        seeking_tags=["respijtzorg"],
        memberships=[("zorg", M)],
        look="long black tone:3",
    ),
    PersonSpec(
        name="Mehmet Kaya",
        organisation="Steunpunt Mantelzorg Rivierenland",
        job_title="Mantelzorgconsulent",
        bio=(
            "Ik ondersteun mantelzorgers, ook de mensen die zichzelf nooit zo zouden noemen. "
            "In veel families is zorgen voor je ouders vanzelfsprekend, tot het niet meer gaat. "
            "Daar wil ik eerder bij zijn."
        ),
        perspectives=["professional"],
        help_tags=["mantelzorg", "respijtzorg", "lotgenotencontact"],
        seeking_tags=["huisartsen"],
        memberships=[("zorg", M)],
        look="short black glasses tone:3",
    ),
    PersonSpec(
        name="Bart Vermeulen",
        organisation="Vermeulen Domotica",
        job_title="Eigenaar",
        bio=(
            "Mijn bedrijf installeert slimme techniek in huis: sensoren, leefstijlmonitoring, "
            "videobellen met de wijkzuster. Ik wil vooral leren wat mensen echt helpt, niet "
            "wat technisch kan."
        ),
        perspectives=["business"],
        help_tags=["zorgtechnologie", "domotica", "slimme meters"],
        seeking_tags=["gebruikerservaringen", "financiering"],
        memberships=[("zorg", M), ("energie", G)],
        look="short blonde tone:0",
    ),
    PersonSpec(
        name="Esther Mulder",
        organisation="Apotheek Het Kruispunt",
        job_title="Openbaar apotheker",
        bio=(
            "Veel ouderen gebruiken vijf of meer medicijnen tegelijk. Ik kijk graag mee bij een "
            "medicatiebeoordeling en denk na over hoe we vallen door medicijnen voorkomen."
        ),
        perspectives=["professional"],
        help_tags=["medicatie", "valpreventie"],
        seeking_tags=["huisbezoek"],
        memberships=[("zorg", M)],
        look="bob black tone:1",
    ),
    PersonSpec(
        name="Tomasz Nowak",
        organisation="Kenniscentrum Langdurige Zorg",
        job_title="Onderzoeker",
        bio=(
            "Ik onderzoek hoe regio's de zorg voor ouderen thuis organiseren. Ik kijk hier een "
            "tijdje mee om te leren hoe een leergemeenschap in de praktijk werkt."
        ),
        perspectives=["research"],
        help_tags=["onderzoek", "regionale samenwerking"],
        seeking_tags=["praktijkvoorbeelden"],
        memberships=[("zorg", G)],
        look="short brown tone:0",
    ),
    PersonSpec(
        name="Saskia Peters",
        organisation="Gemeente Zaltbommel",
        job_title="Beleidsmedewerker ouderen",
        bio=(
            "Onze gemeente wil ook aan de slag met een leergemeenschap rond ouderen. Ik kom "
            "kijken hoe jullie het aanpakken en wat we van elkaar kunnen leren."
        ),
        perspectives=["municipality"],
        help_tags=["ouderenbeleid", "subsidies"],
        seeking_tags=["procesbegeleiding"],
        memberships=[("zorg", G)],
        look="ponytail blonde tone:0",
    ),
    # --- Schoolleidersnetwerk Kansrijk Leren ------------------------------------------------
    PersonSpec(
        name="Karin Dijkstra",
        organisation="Stichting Primair Onderwijs Rivierenland",
        job_title="Coördinator schoolleidersontwikkeling",
        bio=(
            "Ik was twaalf jaar directeur van een dorpsschool en ondersteun nu schoolleiders in "
            "hun ontwikkeling. In dit netwerk bewaak ik de rust en de tijd om echt samen na te "
            "denken."
        ),
        perspectives=["education"],
        help_tags=["schoolleiderschap", "procesbegeleiding", "intervisie"],
        seeking_tags=["praktijkonderzoek"],
        memberships=[("school", F)],
        look="bob blonde glasses tone:0",
    ),
    PersonSpec(
        name="Hamid Ouali",
        organisation="Ouali Leren & Organiseren",
        job_title="Zelfstandig adviseur en procesbegeleider",
        bio=(
            "Ik begeleid teams en netwerken in het onderwijs. Ik ben zelf leraar geweest in "
            "Utrecht-Overvecht en weet hoe groot de kansenkloof kan zijn. Samen met Karin "
            "begeleid ik dit netwerk."
        ),
        perspectives=["education", "business"],
        help_tags=["procesbegeleiding", "kansengelijkheid", "teamontwikkeling"],
        seeking_tags=["ouderbetrokkenheid"],
        memberships=[("school", F)],
        look="short black beard tone:3",
    ),
    PersonSpec(
        name="Jeroen Brouwer",
        organisation="OBS De Regenboog",
        job_title="Directeur",
        bio=(
            "Mijn school staat in een wijk waar veel kinderen met een taalachterstand "
            "binnenkomen. We werken hard aan een rijke leeromgeving. Ik deel graag wat we "
            "hebben geprobeerd, ook wat mislukte."
        ),
        perspectives=["education"],
        help_tags=["taalachterstand", "rijke schooldag", "kansengelijkheid"],
        seeking_tags=["lerarentekort"],
        memberships=[("school", C)],
        look="short brown glasses tone:0",
    ),
    PersonSpec(
        name="Naima Azzouzi",
        organisation="IKC De Vlinderboom",
        job_title="Directeur integraal kindcentrum",
        bio=(
            "In ons kindcentrum werken onderwijs, opvang en jeugdhulp onder één dak. Dat klinkt "
            "mooi, maar het vraagt veel overleg. Ik help graag anderen die die kant op willen."
        ),
        perspectives=["education"],
        help_tags=["IKC", "jeugdhulp op school", "ouderbetrokkenheid"],
        seeking_tags=["financiering"],
        memberships=[("school", C)],
        look="hijab tone:2",
    ),
    PersonSpec(
        name="Pieter Visser",
        organisation="Betuwe College",
        job_title="Teamleider onderbouw",
        bio=(
            "Ik ben de stem van het voortgezet onderwijs in deze groep. Veel problemen ontstaan "
            "bij de overstap van groep 8 naar de brugklas. Die overgang wil ik samen met de "
            "basisscholen soepeler maken."
        ),
        perspectives=["education"],
        help_tags=["overstap po-vo", "brugklas", "mentoraat"],
        seeking_tags=["passend onderwijs"],
        memberships=[("school", C)],
        look="short grey tone:0",
    ),
    PersonSpec(
        name="Sandra Kok",
        organisation="Basisschool De Klimop",
        job_title="Directeur",
        bio=(
            "Ik leid een kleine school in een krimpdorp, met drie combinatieklassen. Creatief "
            "roosteren is mijn tweede natuur geworden. Ik zoek collega's die ook met weinig "
            "mensen veel willen bereiken."
        ),
        perspectives=["education"],
        help_tags=["combinatieklassen", "kleine scholen", "roosteren"],
        seeking_tags=["lerarentekort", "startende leraren"],
        memberships=[("school", C)],
        look="long brown tone:1",
    ),
    PersonSpec(
        name="Erik Postma",
        organisation="Basisschool Het Ruimteschip",
        job_title="Schoolleider",
        bio=(
            "Sinds anderhalf jaar ben ik schoolleider, daarvoor stond ik zelf voor groep 7. Ik "
            "leer hier enorm veel van ervaren collega's en breng graag wat frisse vragen mee."
        ),
        perspectives=["education"],
        help_tags=["digitale geletterdheid", "startende leraren"],
        seeking_tags=["schoolleiderschap"],
        memberships=[("school", M)],
        look="curly brown tone:1",
    ),
    PersonSpec(
        name="Yvonne Tjon A Fong",
        organisation="SBO De Horizon",
        job_title="Directeur speciaal basisonderwijs",
        bio=(
            "Onze leerlingen hebben net wat meer nodig. Ik weet veel van passend onderwijs en "
            "van samenwerken met jeugdhulp en zorgaanbieders. Daar deel ik graag van."
        ),
        perspectives=["education", "professional"],
        help_tags=["passend onderwijs", "jeugdhulp op school", "gedrag"],
        seeking_tags=["kansengelijkheid"],
        memberships=[("school", M)],
        look="bun black glasses tone:4",
    ),
    PersonSpec(
        name="Linda van Dam",
        organisation="Gemeente Tiel",
        job_title="Beleidsadviseur onderwijs en jeugd",
        bio=(
            "Ik werk aan de lokale educatieve agenda. Ik zit hier om te horen wat scholen "
            "echt nodig hebben, zodat gemeentelijke middelen op de goede plek terechtkomen."
        ),
        perspectives=["municipality"],
        help_tags=["subsidies", "onderwijsachterstandenbeleid"],
        seeking_tags=["rijke schooldag"],
        memberships=[("school", M)],
        look="ponytail brown glasses tone:0",
    ),
    PersonSpec(
        name="Dennis Ramkisoen",
        organisation="Jeugdhulp Rivierenland",
        job_title="Schoolmaatschappelijk werker",
        bio=(
            "Ik werk op vier basisscholen en ben vaak de brug tussen school, ouders en het "
            "wijkteam. Soms gaat het over het kind, vaak over het hele gezin, ook over opa's en "
            "oma's die meezorgen."
        ),
        perspectives=["professional"],
        help_tags=["jeugdhulp op school", "gezinsondersteuning", "wijkteam"],
        seeking_tags=["ouderbetrokkenheid", "mantelzorg"],
        memberships=[("school", M), ("zorg", M)],
        look="short black tone:4",
    ),
    PersonSpec(
        name="Marloes Bakker",
        organisation="Hogeschool Gelderland, pabo",
        job_title="Lerarenopleider en onderzoeker",
        bio=(
            "Ik leid leraren op en doe onderzoek naar hoe startende leraren behouden blijven "
            "voor het vak. Ik zoek scholen die willen meedoen aan een kleine pilot met "
            "begeleiding in het eerste jaar."
        ),
        perspectives=["education", "research"],
        help_tags=["startende leraren", "praktijkonderzoek", "opleiden in de school"],
        seeking_tags=["pilotscholen"],
        memberships=[("school", M)],
        look="bob red tone:0",
    ),
    PersonSpec(
        name="Rachid Bennani",
        organisation="Medezeggenschapsraad OBS De Regenboog",
        job_title="Ouder en voorzitter MR",
        bio=(
            "Ik ben vader van drie kinderen op De Regenboog en voorzitter van de MR. Ik wil "
            "laten horen hoe ouders naar school kijken, ook de ouders die nooit op een "
            "ouderavond komen."
        ),
        perspectives=["citizen"],
        help_tags=["ouderbetrokkenheid", "medezeggenschap"],
        seeking_tags=["overstap po-vo"],
        memberships=[("school", M)],
        look="short black beard tone:3",
    ),
    PersonSpec(
        name="Thijs Meijer",
        organisation="Montessorischool De Ontdekking",
        job_title="Directeur",
        bio=(
            "Ik ben nieuwsgierig naar hoe andere scholen met eigenaarschap van leerlingen "
            "werken. En ik worstel, zoals iedereen, met het vinden van goede invallers."
        ),
        perspectives=["education"],
        help_tags=["eigenaarschap", "montessorionderwijs"],
        seeking_tags=["lerarentekort"],
        memberships=[("school", M)],
        look="bald brown beard tone:1",
    ),
    PersonSpec(
        name="Femke Schouten",
        organisation="Kenniscentrum Onderwijs & Jeugd",
        job_title="Onderzoeker",
        bio=(
            "Ik breng onderzoek over kansengelijkheid bij elkaar en maak het bruikbaar voor "
            "scholen. Als gast kijk ik mee en beantwoord ik graag vragen over wat werkt."
        ),
        perspectives=["research"],
        help_tags=["kansengelijkheid", "wat werkt"],
        seeking_tags=["praktijkvoorbeelden"],
        memberships=[("school", G)],
        look="long blonde glasses tone:0",
    ),
    # --- Energiekring Vogelwijk -----------------------------------------------------------
    PersonSpec(
        name="Daan Koster",
        organisation="Energiecoöperatie Vogelwijk Energie",
        job_title="Initiatiefnemer en voorzitter",
        bio=(
            "Ik woon al twintig jaar in de Vogelwijk en begon de coöperatie met een paar buren "
            "en een dak vol zonnepanelen op de school. Ik begeleid deze kring omdat ik wil dat "
            "de plannen van onderop komen."
        ),
        perspectives=["citizen", "volunteer"],
        help_tags=["zonnepanelen", "energiecoöperatie", "bewonersparticipatie"],
        seeking_tags=["subsidies", "warmtenet"],
        memberships=[("energie", F)],
        look="curly brown beard tone:0",
    ),
    PersonSpec(
        name="Mariam Haddad",
        organisation="Gemeente Tiel",
        job_title="Wijkregisseur energietransitie",
        bio=(
            "Ik ben het aanspreekpunt van de gemeente voor de Vogelwijk. Ik kom uit Aleppo en "
            "weet hoe het is om in een nieuw land je weg te zoeken in regels. Ik wil dat iedereen "
            "in de wijk de plannen kan volgen, in welke taal dan ook."
        ),
        perspectives=["municipality"],
        help_tags=["aardgasvrij", "wijkuitvoeringsplan", "subsidies"],
        seeking_tags=["bewonersparticipatie"],
        memberships=[("energie", F)],
        look="long black tone:2",
    ),
    PersonSpec(
        name="Jan-Willem Scholten",
        organisation="Vogelwijk Energie",
        job_title="Vrijwillig energiecoach",
        bio=(
            "Als gepensioneerd installatietechnicus ga ik bij buren langs om te kijken waar het "
            "lekt. Met tochtstrips en een radiatorfolie kom je al een heel eind. Ik leer graag "
            "nieuwe energiecoaches op."
        ),
        perspectives=["volunteer", "citizen"],
        help_tags=["energiecoach", "isolatie", "kleine energiemaatregelen"],
        seeking_tags=["energiearmoede"],
        memberships=[("energie", C)],
        look="bald grey glasses tone:0",
    ),
    PersonSpec(
        name="Sevda Aydın",
        organisation="Bewonerscommissie Vogelwijk",
        job_title="Huurder en secretaris bewonerscommissie",
        bio=(
            "Ik huur een portiekwoning van de corporatie en zit in de bewonerscommissie. Veel "
            "buren zijn bang dat het van het gas af gaan hun huur omhoog jaagt. Die zorgen "
            "breng ik hier in."
        ),
        perspectives=["citizen"],
        help_tags=["huurders", "bewonersparticipatie"],
        seeking_tags=["energiearmoede", "isolatie"],
        memberships=[("energie", C)],
        look="long brown tone:2",
    ),
    PersonSpec(
        name="Hans Lammers",
        organisation="Woonstichting Betuwe Thuis",
        job_title="Projectleider verduurzaming",
        bio=(
            "Ik ben verantwoordelijk voor het isoleren en verduurzamen van zo'n 600 woningen in "
            "de wijk. Ik wil dat huurders meepraten vóórdat de steigers staan, niet erna."
        ),
        perspectives=["professional"],
        help_tags=["isolatie", "warmtepomp", "planning renovatie"],
        seeking_tags=["huurders"],
        memberships=[("energie", C)],
        look="short grey tone:1",
    ),
    PersonSpec(
        name="Rob van Leeuwen",
        organisation="Van Leeuwen Installatietechniek",
        job_title="Installateur en mede-eigenaar",
        bio=(
            "Wij installeren warmtepompen en zonneboilers in de regio. Ik deel graag wat in "
            "oude huizen wel en niet werkt, eerlijk en zonder verkooppraatje."
        ),
        perspectives=["business"],
        help_tags=["warmtepomp", "zonneboiler", "installatietechniek"],
        seeking_tags=["collectieve inkoop"],
        memberships=[("energie", M)],
        look="short blonde beard tone:0",
    ),
    PersonSpec(
        name="Wendy Maas",
        organisation="Bewoner Vogelwijk",
        job_title="Verpleegkundige en huiseigenaar",
        bio=(
            "Wij wonen in een jaren-dertigwoning die je in de winter bijna niet warm krijgt. "
            "Ik wil weten welke stappen zinvol zijn en in welke volgorde, zonder dat we ons "
            "blauw betalen."
        ),
        perspectives=["citizen"],
        help_tags=["ervaringsverhalen", "binnenklimaat en gezondheid"],
        seeking_tags=["isolatie", "subsidies"],
        memberships=[("energie", M)],
        look="ponytail blonde tone:0",
    ),
    PersonSpec(
        name="Kofi Mensah",
        organisation="Hogeschool Gelderland",
        job_title="Onderzoeker energiearmoede",
        bio=(
            "Ik onderzoek hoe huishoudens met een laag inkomen de energietransitie ervaren. "
            "In deze kring help ik meten wat maatregelen opleveren, en ik luister vooral."
        ),
        perspectives=["research"],
        help_tags=["energiearmoede", "metingen", "praktijkonderzoek"],
        seeking_tags=["huishoudens voor interviews"],
        memberships=[("energie", M)],
        look="short black glasses tone:7",
    ),
    PersonSpec(
        name="Ilse de Wit",
        organisation="Welzijn Rivierenland",
        job_title="Consulent geldzaken",
        bio=(
            "Ik help mensen met hun administratie en geldzorgen. Een hoge energierekening is "
            "vaak het begin van schulden, en ouderen schamen zich er extra voor. Daarom zit ik "
            "in beide kringen."
        ),
        perspectives=["professional"],
        help_tags=["schulden", "energietoeslag", "formulieren"],
        seeking_tags=["energiecoach", "eenzaamheid"],
        memberships=[("energie", M), ("zorg", M)],
        look="bob brown tone:0",
    ),
    PersonSpec(
        name="Lieke Hermans",
        organisation="Bewoner Vogelwijk",
        job_title="Huurder, moeder van twee",
        bio=(
            "Ik woon met mijn kinderen in een eengezinswoning aan de Merelstraat. Ik heb weinig "
            "tijd, maar wil wel dat er naar gezinnen zoals het mijne geluisterd wordt."
        ),
        perspectives=["citizen"],
        help_tags=["buurtapp", "ervaringsverhalen"],
        seeking_tags=["energiearmoede", "kleine energiemaatregelen"],
        memberships=[("energie", M)],
        look="curly black tone:6",
    ),
    PersonSpec(
        name="Gerard Smits",
        organisation="Provincie Gelderland",
        job_title="Programmamanager energietransitie",
        bio=(
            "Vanuit de provincie kijken we welke wijkaanpakken we kunnen ondersteunen. Ik kom "
            "af en toe langs om te horen wat er speelt en waar geld het verschil maakt."
        ),
        perspectives=["funder", "municipality"],
        help_tags=["subsidies", "regionale energiestrategie"],
        seeking_tags=["praktijkvoorbeelden"],
        memberships=[("energie", G)],
        look="bald grey beard tone:0",
    ),
]


def email_for(name: str) -> str:
    """A stable demo address: first name dot the rest, without accents, spaces or dashes."""
    plain = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLITERATE))
    plain = plain.encode("ascii", "ignore").decode()
    first, _sep, rest = plain.partition(" ")
    local = first.replace("-", "") + "." + "".join(c for c in rest if c.isalnum())
    return f"{local}@{EMAIL_DOMAIN}"
