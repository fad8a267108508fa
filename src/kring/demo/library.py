"""The demo's library: what each community has written down, and how the others responded.

Fictional, like the people in data.py. Practice stories and lessons learned carry the most
weight: they are the stories members read first. Everything is written in the voice of its
authors; `days_ago` places an item in the community's life (after its authors joined).

Texts are wrapped here to keep the source readable; `md()` joins the wrapped lines again, so
the stored Markdown has one line per paragraph or list item, as a person would type it.
"""

import re
import textwrap
from dataclasses import dataclass, field

# Kinds (kring.knowledge.models.Kind), kept as plain strings like the roles in data.py.
TOOLKIT = "toolkit"
STEP_PLAN = "step_plan"
WEBINAR = "webinar"
HANDOUT = "handout"
EXAMPLE = "practice_example"
LINK = "link"
STORY = "practice_story"
LESSON = "lesson_learned"
GOOD_EXAMPLE = "good_example"
TOOLBOX = "toolbox"

# A line that starts a block of its own in Markdown; any other line continues the one above.
_BLOCK_START = re.compile(r"^\s*(?:[-*+] |\d+\. |#{1,6} |> )")


def md(text: str) -> str:
    """Markdown with each paragraph and list item on one line again."""
    lines: list[str] = []
    for raw in textwrap.dedent(text).strip().splitlines():
        line = raw.rstrip()
        if lines and lines[-1] and line and not _BLOCK_START.match(line):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


def lesson(*, tried: str, went_wrong: str, learned: str, differently: str) -> dict[str, str]:
    return {
        "tried": md(tried),
        "went_wrong": md(went_wrong),
        "learned": md(learned),
        "differently": md(differently),
    }


@dataclass(frozen=True)
class ItemSpec:
    community: str
    kind: str
    title: str
    # Names from data.PEOPLE; the first shares the item, the others are co-authors.
    authors: tuple[str, ...]
    days_ago: int
    tags: tuple[str, ...]
    body: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    url: str = ""
    # Members who marked it useful, and (name, text) comments in the order they were written.
    useful: tuple[str, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()
    # Put in the spotlight by a facilitator: (good_example or toolbox, facilitator's name).
    featured: tuple[str, str] | None = None


LIBRARY = [
    # --- Langer thuis in de regio Rivierenland ---------------------------------------------
    ItemSpec(
        community="zorg",
        kind=TOOLKIT,
        title="Gesprekskaart: en hoe gaat het met ú?",
        authors=("Mehmet Kaya", "Dewi Sasmita"),
        days_ago=92,
        tags=("mantelzorg", "respijtzorg"),
        body=md(
            """
            Een gesprekskaart voor iedereen die bij mensen thuis komt: wijkverpleging, POH,
            casemanager of vrijwilliger. Mantelzorgers krijgen alle vragen over hun naaste en
            zelden één over zichzelf. Met deze kaart voer je dat gesprek wél, zonder dat het
            een formulier wordt.

            ## Wat erin zit

            - **Vijf openingsvragen**, zoals "Wanneer had u voor het laatst een middag voor
              uzelf?" en "Wie neemt het over als u ziek wordt?"
            - **Signalen om op te letten**: slecht slapen, eigen afspraken afzeggen, kortaf
              reageren, een "het gaat wel" dat je niet gelooft.
            - **Een stoplicht** waarmee de mantelzorger zelf aangeeft hoe zwaar het nu is.
            - **Wie je belt**, per gemeente in Rivierenland: van het steunpunt mantelzorg tot
              de logeeropvang.

            ## Zo gebruik je hem

            1. Neem de kaart mee, maar leg hem niet meteen op tafel. Begin met koffie.
            2. Kies één of twee vragen die bij het moment passen.
            3. Staat het stoplicht op oranje of rood? Vraag of het steunpunt mag bellen. Als
               wij bellen, gebeurt het ook echt.

            We hebben de kaart getest met twaalf mantelzorgers. Hun belangrijkste tip: zeg niet
            "mantelzorger", zeg "u zorgt veel voor uw man".
            """
        ),
        useful=(
            "Fatma Yılmaz",
            "Priya Ramdin",
            "Gerrit Kuipers",
            "Henk van der Molen",
            "Anouk Verbeek",
            "Ilse de Wit",
            "Saskia Peters",
        ),
        comments=(
            (
                "Fatma Yılmaz",
                "We hebben de kaart twee weken in ons team gebruikt. Het stoplicht werkt goed, "
                "juist omdat de mantelzorger zelf de kleur kiest.",
            ),
            (
                "Henk van der Molen",
                "Die laatste tip is goud waard. Mijn buurman zorgt al jaren voor zijn vrouw en "
                "zou zichzelf nooit mantelzorger noemen.",
            ),
        ),
        featured=(TOOLBOX, "Ruben Hoekstra"),
    ),
    ItemSpec(
        community="zorg",
        kind=TOOLKIT,
        title="Checklist valpreventie voor het huisbezoek",
        authors=("Fatma Yılmaz", "Esther Mulder"),
        days_ago=48,
        tags=("valpreventie", "medicatie", "huisbezoek"),
        body=md(
            """
            Een val betekent voor een oudere vaak weken ziekenhuis of revalidatie, en soms
            niet meer naar huis. Veel valpartijen zijn te voorkomen als je op tijd kijkt. Deze
            checklist maakten wijkverpleging en apotheek samen. Hij past op één kant van A4.

            ## In huis

            - Losse kleedjes, snoeren en drempels op de looproute
            - Licht 's nachts tussen bed en toilet
            - Handgrepen bij toilet en douche, een douchestoel
            - Dichte schoenen met een stevige zool, geen sloffen

            ## Medicijnen

            - Vijf of meer middelen? Vraag een medicatiebeoordeling aan bij de apotheek.
            - Let extra op slaapmiddelen, plastabletten en bloeddrukverlagers.
            - Duizelig bij het opstaan? Altijd doorgeven aan de huisarts.

            ## De persoon zelf

            - Is iemand het afgelopen jaar gevallen, of bang om te vallen?
            - Lukt opstaan uit een stoel zonder de armen te gebruiken?

            ## En dan

            Twee of meer kruisjes? Verwijs naar de cursus In Balans van de buurtsportcoach en
            zet het in het dossier, zodat collega's het ook zien. Bespreek wat iemand zelf wil
            aanpakken: een kleed weghalen dat er al veertig jaar ligt, is voor sommigen een
            groter verlies dan je denkt.
            """
        ),
        useful=("Ahmed Bouzid", "Priya Ramdin", "Ingrid Bos", "Wim de Groot", "Lotte Smit"),
        comments=(
            (
                "Ahmed Bouzid",
                "Fijn dat In Balans erin staat! Verwijs je iemand door, mail mij dan ook even. "
                "Dan bel ik zelf om kennis te maken, dat scheelt een drempel.",
            ),
        ),
    ),
    ItemSpec(
        community="zorg",
        kind=STEP_PLAN,
        title="Van zorgsignaal naar wijkteam in vijf stappen",
        authors=("Anouk Verbeek",),
        days_ago=235,
        tags=("wijkteam", "casuïstiek", "eenzaamheid"),
        body=md(
            """
            Een vrijwilliger, een kapper of een buurvrouw maakt zich zorgen om iemand. Wat
            dan? We schreven dit stappenplan na een middag casuïstiek in de kring, toen bleek
            dat iedereen een andere route kende.

            ## Stap 1: Vraag het de persoon zelf

            "Ik zie dat u de laatste tijd minder buiten komt. Hoe gaat het met u?" Vaak is dat
            al genoeg om het gesprek te openen.

            ## Stap 2: Vraag toestemming

            "Mag ik iemand vragen om eens bij u langs te komen?" Zonder toestemming deel je
            geen naam, alleen je zorg.

            ## Stap 3: Bel het wijkteam

            Vertel wat je ziet en hoort, niet wat je denkt dat er aan de hand is. Elke gemeente
            heeft één nummer; ik houd de lijst bij en stuur hem je graag.

            ## Stap 4: Spreek af wie terugkoppelt

            De grootste ergernis van vrijwilligers is dat ze nooit meer iets horen. Vraag wie
            jou laat weten dát er iets gebeurt. De inhoud blijft vertrouwelijk.

            ## Stap 5: Blijf gewoon komen

            Het wijkteam neemt de zorg over, niet het contact. Voor veel ouderen ben jij het
            vaste gezicht, en dat blijft belangrijk.
            """
        ),
        useful=(
            "Kees Willemsen",
            "Marieke Jansen",
            "Fatma Yılmaz",
            "Dennis Ramkisoen",
            "Ilse de Wit",
            "Truus Hendriks",
            "Tomasz Nowak",
        ),
    ),
    ItemSpec(
        community="zorg",
        kind=WEBINAR,
        title="Webinar: domotica die ouderen echt gebruiken",
        authors=("Bart Vermeulen",),
        days_ago=55,
        tags=("zorgtechnologie", "domotica"),
        url="https://webinars.zorgtechniek-betuwe.example/domotica-die-blijft",
        body=md(
            """
            De opname van de online sessie die ik voor de kring gaf (55 minuten, ondertiteld).
            Geen productdemo, maar een eerlijk verhaal over wat na een half jaar nog aan staat
            en wat in de la is beland.

            ## Wat aan bod komt

            - **Sensoren die niemand merkt**: een bewegingsmelder in de gang zegt meer dan een
              alarmknop die om de hals moet.
            - **Beeldbellen met de wijkverpleging**: goed voor een vaste vraag, zoals
              oogdruppels, minder goed voor een eerste kennismaking.
            - **Medicijndispensers**: handig, maar alleen als er iemand in de buurt is die het
              piepen hoort.
            - **Wie betaalt wat**: Wmo, zorgverzekeraar of zelf kopen. Ingrid en Joyce vulden
              dit deel aan.

            ## Drie lessen uit de vragenronde

            1. Begin bij de vraag van de oudere, niet bij het apparaat.
            2. Regel vooraf wie er gebeld wordt bij een melding. Daar gaat het vaker mis dan
               bij de techniek.
            3. Reken op een paar weken wennen; haal het apparaat niet weg na één lastige week.

            Vanaf minuut 38 vertelt een mantelzorger uit Tiel hoe een deursensor haar
            nachtrust teruggaf.
            """
        ),
        useful=("Joyce Martina", "Henk van der Molen", "Ingrid Bos"),
        comments=(
            (
                "Henk van der Molen",
                "Eindelijk iemand die zegt dat je moet regelen wie er gebeld wordt. Bij ons ging "
                "de alarmknop drie nachten achter elkaar naar mijn zoon in Utrecht.",
            ),
        ),
    ),
    ItemSpec(
        community="zorg",
        kind=HANDOUT,
        title="Even op adem komen: respijtzorg in Rivierenland op één A4",
        authors=("Mehmet Kaya",),
        days_ago=78,
        tags=("respijtzorg", "mantelzorg"),
        body=md(
            """
            Een A4 om achter te laten bij mantelzorgers die wel wat lucht kunnen gebruiken.
            Bewust kort, in gewone taal en met grote letters. Print hem dubbelzijdig.

            ## Wat is respijtzorg?

            Iemand anders neemt de zorg een paar uur, een dag of een weekend van u over. Zo
            kunt u even bijkomen, en houdt u het langer vol.

            ## Wat kan er in onze regio?

            - **Een vrijwilliger aan huis**, een paar uur per week, zodat u boodschappen kunt
              doen of kunt sporten.
            - **Dagbesteding** voor uw naaste, één of meer dagen per week.
            - **Logeeropvang**: een paar nachten in een logeerhuis, bijvoorbeeld als u zelf
              naar het ziekenhuis moet.
            - **De mantelzorgwaardering** van uw gemeente, die u elk jaar kunt aanvragen.

            ## Wat kost het?

            Veel is gratis of wordt vergoed via de Wmo. Soms betaalt u een eigen bijdrage;
            vraag er gerust naar.

            ## Bij wie kunt u terecht?

            Bel het Steunpunt Mantelzorg. We komen ook graag bij u thuis om mee te denken. U
            hoeft niet eerst helemaal op te zijn voordat u mag bellen.
            """
        ),
        useful=("Gerrit Kuipers", "Dewi Sasmita", "Fatma Yılmaz", "Priya Ramdin"),
    ),
    ItemSpec(
        community="zorg",
        kind=EXAMPLE,
        title="Koffie na de beweegles in Buren",
        authors=("Ahmed Bouzid",),
        days_ago=150,
        tags=("bewegen", "ontmoeting", "eenzaamheid"),
        body=md(
            """
            In het buurthuis in Buren geef ik elke dinsdag een beweegles voor 55-plussers.
            Sinds een jaar blijft de zaal daarna open voor koffie, en dat blijkt minstens zo
            belangrijk als de oefeningen.

            ## Hoe het werkt

            - De les duurt drie kwartier, daarna is er drie kwartier koffie en thee. Niemand
              hoeft te blijven; bijna iedereen blijft.
            - Twee deelnemers zetten om beurten de koffie. Dat maakte het meteen van hen.
            - Eens per maand schuift iemand aan, zoals de wijkverpleegkundige, de wooncoach of
              de apotheker, voor een kwartiertje over één onderwerp.

            ## Wat het oplevert

            - Mensen komen trouwer: gemiddeld zestien deelnemers per les, was negen.
            - Bij de koffie hoor ik wat in de les niet ter sprake komt: een partner die
              achteruitgaat, iemand die de huur niet meer kan betalen.
            - Deelnemers spreken ook buiten de les af, om samen te wandelen.

            ## Wat je nodig hebt

            Een zaal die je een uur langer mag gebruiken, een koffiezetapparaat en een klein
            budget voor koffie en koek. Wij betalen dat uit het gemeentelijke potje voor
            ontmoeting.
            """
        ),
        useful=("Marieke Jansen", "Kees Willemsen", "Truus Hendriks", "Saskia Peters"),
        comments=(
            (
                "Truus Hendriks",
                "In Beesd zouden we dit ook willen. Alleen kom ik zonder bus niet in Buren. "
                "Is er iemand die rijdt?",
            ),
            (
                "Kees Willemsen",
                "Truus, op dinsdag kan ik best een stukje omrijden via Beesd. Laten we het "
                "op de volgende bijeenkomst even afspreken.",
            ),
        ),
    ),
    ItemSpec(
        community="zorg",
        kind=LINK,
        title="Regiokaart dementie: casemanagers en ontmoetingscentra",
        authors=("Dewi Sasmita",),
        days_ago=128,
        tags=("dementie", "casemanagement"),
        url="https://dementiekaart.rivierenland.example/",
        body=md(
            """
            Op deze kaart staat per gemeente in Rivierenland wie de casemanagers dementie zijn,
            waar de ontmoetingscentra zitten en wanneer er een Alzheimer Café is. Het regionale
            dementienetwerk houdt de kaart bij; wij geven wijzigingen door.

            ## Handig voor

            - huisartsen en POH's die na een diagnose willen doorverwijzen;
            - mantelzorgers die andere mantelzorgers willen ontmoeten;
            - vrijwilligers die willen weten wat er in hun eigen dorp te doen is.

            ## Let op

            In de zomer veranderen de openingstijden van de ontmoetingscentra. Bel even voordat
            je iemand stuurt. Klopt er iets niet? Laat het mij weten, dan zorg ik dat het wordt
            aangepast.
            """
        ),
        useful=("Priya Ramdin", "Gerrit Kuipers", "Mehmet Kaya"),
    ),
    ItemSpec(
        community="zorg",
        kind=STORY,
        title="Het boodschappenbusje zag het als eerste",
        authors=("Kees Willemsen",),
        days_ago=220,
        tags=("vervoer", "eenzaamheid", "vrijwilligerswerk"),
        body=md(
            """
            Twee ochtenden per week rijd ik het busje van de vrijwilligerscentrale. Mevrouw De
            Vries (zo noem ik haar hier) stapte al jaren elke donderdag in voor de markt.
            Altijd netjes aangekleed, altijd een verhaal over haar kleinkinderen.

            ## Wat ik zag

            Deze winter veranderde dat. Twee keer was ze niet klaar toen ik aanbelde. Eén keer
            had ze haar jas over haar nachtjapon aan. Op de markt kocht ze drie weken achter
            elkaar hetzelfde: koffie en beschuit. Ze zei dat het goed ging.

            ## Wat ik deed

            Vroeger had ik het laten rusten. Het is mijn werk niet, en je wilt niemand
            verraden. Maar Anouk had in de kring net haar stappenplan laten zien. Dus vroeg ik
            in het busje: "Mag ik iemand vragen om eens bij u langs te komen?" Tot mijn
            verbazing zei ze meteen ja. Ik denk dat ze er zelf ook mee zat.

            Ik belde het wijkteam en vertelde alleen wat ik had gezien.

            ## Hoe het afliep

            Er bleek beginnende dementie te spelen, en haar dochter in Groningen wist van niets.
            Nu is er een casemanager, komt de thuiszorg en gaat ze twee dagen naar de
            dagbesteding. Op donderdag rijd ik haar nog steeds naar de markt.

            ## Wat ik wil meegeven

            Wie iemand elke week ziet, is geen hulpverlener, maar ziet vaak wel als eerste dat
            er iets verandert. Zoek uit wie je kunt bellen voordat je het nodig hebt.
            """
        ),
        useful=(
            "Marieke Jansen",
            "Anouk Verbeek",
            "Ruben Hoekstra",
            "Fatma Yılmaz",
            "Henk van der Molen",
            "Truus Hendriks",
            "Mehmet Kaya",
            "Ilse de Wit",
            "Tomasz Nowak",
        ),
        comments=(
            (
                "Anouk Verbeek",
                "Kees, dank je dat je belde. Dit is precies waarom we het stappenplan maakten. "
                "En je hoort van ons dát er iets gebeurt, dat beloof ik.",
            ),
            (
                "Tomasz Nowak",
                "Een sterk voorbeeld van een signaal dat buiten de formele zorg opkomt. Mag ik "
                "dit verhaal, zonder namen, gebruiken in een workshop voor andere regio's?",
            ),
        ),
        featured=(GOOD_EXAMPLE, "Marieke Jansen"),
    ),
    ItemSpec(
        community="zorg",
        kind=STORY,
        title="'Ik noemde mezelf geen mantelzorger'",
        authors=("Gerrit Kuipers", "Mehmet Kaya"),
        days_ago=98,
        tags=("mantelzorg", "dementie", "lotgenotencontact"),
        body=md(
            """
            *Opgetekend door Mehmet, in Gerrits eigen woorden.*

            Riek en ik zijn 52 jaar getrouwd. Toen ze vergeetachtig werd, deed ik gewoon wat
            er moest gebeuren: koken, de pillen klaarzetten, haar helpen met aankleden. Dat doe
            je voor je vrouw. Mantelzorgers, dat waren andere mensen.

            ## Het omslagpunt

            Bij de huisarts kreeg ik een folder over ondersteuning voor mantelzorgers. Die heb
            ik weggelegd. Pas toen ik zelf met een hoge bloeddruk bij de dokter zat, vroeg de
            praktijkondersteuner hoe ik sliep. Slecht dus, al maanden. Ze vroeg of Mehmet van
            het steunpunt eens mocht bellen.

            ## Wat hielp

            - Mehmet kwam gewoon op de koffie en begon niet over formulieren.
            - Via hem kwam ik in een lotgenotengroep voor mannen. Zes kerels die voor hun vrouw
              zorgen. We praten over van alles, ook over wat je thuis niet zegt.
            - Riek gaat nu twee dagen naar de dagbesteding. In het begin voelde dat als
              verraad. Nu zie ik dat ze er vrolijk van thuiskomt.

            ## Wat ik de kring wil meegeven

            Vraag niet of iemand mantelzorger is. Vraag hoe het met hém of háár gaat. En blijf
            het vragen, want de eerste keer zeg je altijd dat het wel gaat.
            """
        ),
        useful=(
            "Henk van der Molen",
            "Dewi Sasmita",
            "Fatma Yılmaz",
            "Priya Ramdin",
            "Marieke Jansen",
            "Kees Willemsen",
            "Dennis Ramkisoen",
        ),
        comments=(
            (
                "Dewi Sasmita",
                "Gerrit, ik heb je verhaal voorgelezen in ons overleg van casemanagers. Het "
                "bleef even stil. Je laatste zin nemen we mee in onze eerste gesprekken.",
            ),
            (
                "Dennis Ramkisoen",
                "Herkenbaar vanuit school: kinderen die thuis voor een ouder of oma zorgen, "
                "noemen zich ook nooit mantelzorger.",
            ),
        ),
    ),
    ItemSpec(
        community="zorg",
        kind=STORY,
        title="Eén keukentafelgesprek in plaats van drie",
        authors=("Priya Ramdin", "Anouk Verbeek"),
        days_ago=290,
        tags=("kwetsbare ouderen", "wijkteam", "huisbezoek"),
        body=md(
            """
            Meneer en mevrouw Van Dijk (niet hun echte naam) kregen in één maand bezoek van de
            praktijkondersteuner, de Wmo-consulent en de wijkverpleging. Drie keer dezelfde
            vragen, en daarna wist het echtpaar nog steeds niet wat er ging gebeuren. Mevrouw
            zei: "Jullie zijn allemaal heel aardig, maar ik ben zo moe."

            ## Wat we anders deden

            We spraken af om één keer samen te komen, aan hun keukentafel: Priya van de
            huisartsenpraktijk, Anouk van het wijkteam en hun vaste wijkverpleegkundige. Vooraf
            belden we een kwartier om te verdelen wie wat zou vragen.

            - We begonnen met: wat wilt u dat er over een halfjaar anders is?
            - Meneer wilde weer zelf naar de kerk. Mevrouw wilde 's nachts doorslapen.
            - Pas daarna kwam het praktische: een douchestoel, een vrijwilliger voor de zondag,
              hulp in de nacht.

            ## Wat het opleverde

            Het gesprek duurde vijf kwartier in plaats van drie keer een uur. Het echtpaar kreeg
            één vast aanspreekpunt. En wij leerden elkaars werk veel beter kennen.

            ## Wat lastig blijft

            Agenda's. Het kostte twee weken om een moment te vinden. Nu houden we elke
            dinsdagmiddag een uur vrij voor zulke gesprekken.
            """
        ),
        useful=("Fatma Yılmaz", "Ingrid Bos", "Marieke Jansen", "Ruben Hoekstra", "Kees Willemsen"),
    ),
    ItemSpec(
        community="zorg",
        kind=LESSON,
        title="De signalenapp die niemand opende",
        authors=("Ruben Hoekstra", "Joyce Martina"),
        days_ago=175,
        tags=("pilots", "evaluatie"),
        sections=lesson(
            tried="""
                We wilden zorgen van vrijwilligers, buren en professionals sneller bij elkaar
                brengen. Met geld van het zorgkantoor lieten we een app bouwen waarin iedereen
                met één druk op de knop een zorg over een oudere kon melden. Het wijkteam zou de
                meldingen oppakken. We begonnen in twee dorpen, met veertig deelnemers en een
                feestelijke aftrap.
                """,
            went_wrong="""
                Na drie maanden stonden er zeven meldingen in de app, vier daarvan van dezelfde
                wijkverpleegkundige.

                - Vrijwilligers vonden melden "achter iemands rug om" niet prettig.
                - Oudere vrijwilligers hadden de app wel, maar wisten hun wachtwoord niet meer.
                - Wie wél meldde, hoorde niets terug en hield ermee op.
                """,
            learned="""
                Er was nooit een gebrek aan kanalen. Mensen wisten niet óf ze iets mochten
                zeggen, en wat er daarna zou gebeuren. Vertrouwen tussen een vrijwilliger en het
                wijkteam ontstaat doordat je elkaar kent, niet door een app. De gesprekken voor
                de evaluatie leverden meer signalen op dan de app in een heel kwartaal.
                """,
            differently="""
                - Eerst een paar keer koffiedrinken met vrijwilligers en wijkteam, dan pas een
                  hulpmiddel kiezen.
                - Vanaf de eerste dag regelen wie de melder laat weten dat er iets gebeurt.
                - Kleiner beginnen en na vier weken evalueren, niet pas na een halfjaar.
                - Bij de subsidie afspreken dat stoppen ook een uitkomst mag zijn. Dat maakte
                  het eerlijke gesprek met het zorgkantoor veel makkelijker.
                """,
        ),
        useful=(
            "Marieke Jansen",
            "Bart Vermeulen",
            "Ingrid Bos",
            "Kees Willemsen",
            "Anouk Verbeek",
            "Saskia Peters",
            "Tomasz Nowak",
        ),
        comments=(
            (
                "Bart Vermeulen",
                "Pijnlijk herkenbaar, ook vanaf de kant van de leverancier. Dank voor jullie "
                "eerlijkheid. Het punt over terugkoppeling neem ik mee in elk volgend gesprek "
                "met een klant.",
            ),
            (
                "Saskia Peters",
                "Wij stonden op het punt om precies zo'n app aan te schaffen. Dit verhaal leg "
                "ik volgende week op tafel bij ons overleg.",
            ),
        ),
    ),
    ItemSpec(
        community="zorg",
        kind=LESSON,
        title="Een informatieavond over verhuizen waar bijna niemand kwam",
        authors=("Wim de Groot",),
        days_ago=205,
        tags=("levensloopbestendig wonen", "huurders"),
        sections=lesson(
            tried="""
                De corporatie bouwde twaalf gelijkvloerse seniorenwoningen vlak bij het
                dorpshart van Beesd. Oudere huurders in grote eengezinswoningen kregen voorrang.
                Om dat bekend te maken, stuurden we zestig brieven en organiseerden we een
                informatieavond in het dorpshuis, met plattegronden, koffie en de wethouder.
                """,
            went_wrong="""
                Er kwamen vijf mensen, van wie drie kinderen van huurders. Achteraf hoorden we
                waarom. "Verhuizen" is voor veel ouderen een beladen woord: het voelt als de
                eerste stap naar het verpleeghuis. En een brief van de corporatie las als een
                aankondiging dat ze weg moesten.
                """,
            learned="""
                Over wonen praat je aan de eigen keukentafel, niet in een zaal. Het gesprek
                begint bij wat iemand nu lastig vindt (de trap, de tuin, het grote huis schoon
                houden) en niet bij ons aanbod. En de boodschapper doet ertoe: als de
                wijkverpleegkundige of de buurvrouw erover begint, wordt het anders gehoord dan
                een brief.
                """,
            differently="""
                - Huisbezoeken aanbieden in plaats van een avond, onder de noemer "prettig
                  blijven wonen".
                - Samen met de wijkverpleging en de POH ouderenzorg kiezen wie we eerst bezoeken.
                - Een huurder die al verhuisd is laten vertellen hoe het ging, het liefst met een
                  kijkje in de nieuwe woning.
                - Tijd nemen: de eerste verhuizing kwam een halfjaar na het eerste gesprek.
                """,
        ),
        useful=("Ingrid Bos", "Henk van der Molen", "Truus Hendriks", "Fatma Yılmaz"),
        comments=(
            (
                "Truus Hendriks",
                "Ik was ook niet gekomen. Maar als mijn buurvrouw erover was begonnen, had ik "
                "er wel over nagedacht.",
            ),
        ),
    ),
    # --- Schoolleidersnetwerk Kansrijk Leren ------------------------------------------------
    ItemSpec(
        community="school",
        kind=TOOLKIT,
        title="Toolkit warme overdracht van groep 8 naar de brugklas",
        authors=("Pieter Visser", "Naima Azzouzi"),
        days_ago=215,
        tags=("overstap po-vo", "brugklas", "mentoraat"),
        body=md(
            """
            De overstap naar het voortgezet onderwijs is voor veel kinderen de spannendste stap
            van hun schooltijd, en voor kinderen die extra steun nodig hebben soms een
            breekpunt. Deze toolkit bundelt wat scholen in ons netwerk samen hebben
            uitgeprobeerd.

            ## Onderdelen

            - **Gespreksformat warme overdracht**: een halfuur tussen de leerkracht van groep
              8 en de brugklasmentor, met vijf vaste vragen. Niet "wat kan dit kind niet?",
              maar "wanneer komt dit kind tot bloei?"
            - **Leerlingpaspoort**: één pagina die de leerling zelf invult: "Dit moet mijn
              mentor over mij weten."
            - **Terugkijkmoment in november**: de mentor laat de basisschool weten hoe het
              gaat. Leerkrachten horen dat anders bijna nooit.
            - **Afsprakenlijst voor ouders**: wie wanneer hun aanspreekpunt is, in eenvoudige
              taal en in vier talen.

            ## Hoe we het organiseren

            Alle overdrachtsgesprekken vinden plaats op één middag in juni, op de vo-school.
            Basisscholen sturen de leerkracht die het kind het best kent, niet per se de
            intern begeleider.

            ## Eerste ervaringen

            Mentoren zeggen dat ze in het eerste kwartaal minder brandjes hoeven te blussen.
            Dat is nog geen onderzoek, maar wel een goed teken.
            """
        ),
        useful=(
            "Jeroen Brouwer",
            "Sandra Kok",
            "Erik Postma",
            "Yvonne Tjon A Fong",
            "Rachid Bennani",
            "Dennis Ramkisoen",
            "Femke Schouten",
        ),
        comments=(
            (
                "Yvonne Tjon A Fong",
                "Voor onze sbo-leerlingen is dat terugkijkmoment in november goud waard. "
                "Mogen wij aansluiten bij de overdrachtsmiddag in juni?",
            ),
            ("Pieter Visser", "Graag, Yvonne! Ik zet jullie op de lijst."),
        ),
        featured=(TOOLBOX, "Karin Dijkstra"),
    ),
    ItemSpec(
        community="school",
        kind=STEP_PLAN,
        title="Stappenplan: een startende leraar door het eerste jaar",
        authors=("Marloes Bakker", "Erik Postma"),
        days_ago=68,
        tags=("startende leraren", "opleiden in de school"),
        body=md(
            """
            Een flink deel van de startende leraren verlaat binnen een paar jaar het onderwijs.
            Dit stappenplan komt uit de pilot die we met vier scholen uit het netwerk draaien.
            Het is bedoeld voor schoolleiders die een starter zien binnenkomen.

            ## Voor de eerste schooldag

            1. **Koppel een maatje**: een collega uit dezelfde bouw, met tijd in het rooster.
            2. **Geef geen combinatieklas of zware groep** als het even kan. Kan het niet,
               zeg dat dan eerlijk en regel extra handen.

            ## De eerste tien weken

            3. **Elke week een kwartier met het maatje**, op een vast moment. Over wat er die
               week gebeurde, niet over beoordelen.
            4. **Twee keer meekijken in de klas**, en andersom: de starter kijkt ook bij een
               ervaren collega.

            ## Na de herfstvakantie

            5. **Gesprek met de schoolleider**: wat gaat goed, waar loop je op leeg? Houd
               begeleiden en beoordelen gescheiden.
            6. **Intervisie met starters van andere scholen**, eens in de zes weken. Zo merken
               ze dat hun twijfels heel gewoon zijn.

            ## Rond de voorjaarsvakantie

            7. **Praat over volgend jaar.** Starters blijven als ze weten waar ze aan toe zijn.

            De pilot loopt nog. In juni delen we hier de eerste uitkomsten.
            """
        ),
        useful=("Karin Dijkstra", "Sandra Kok", "Thijs Meijer", "Jeroen Brouwer", "Ruben Hoekstra"),
        comments=(
            (
                "Sandra Kok",
                "Stap 2 is op een kleine school bijna onmogelijk, maar 'zeg het eerlijk en "
                "regel extra handen' helpt. Wij zetten de onderwijsassistent dan een ochtend "
                "extra in.",
            ),
        ),
    ),
    ItemSpec(
        community="school",
        kind=WEBINAR,
        title="Webinar: de rijke schooldag, wat werkt en wat kost het?",
        authors=("Linda van Dam",),
        days_ago=118,
        tags=("rijke schooldag", "onderwijsachterstandenbeleid", "subsidies"),
        url="https://webinars.onderwijsregio-rivierenland.example/rijke-schooldag",
        body=md(
            """
            Terugkijken kan: de online sessie die de gemeente samen met het netwerk
            organiseerde. Jeroen vertelde hoe De Regenboog de schooldag verrijkt, een
            onderzoeker zette op een rij wat we weten, en ik liet zien welke middelen er zijn.

            ## Inhoud (70 minuten)

            - **0:00 Waarom een rijke schooldag?** Niet meer van hetzelfde, maar sport,
              cultuur, natuur en techniek voor kinderen die dat thuis minder meekrijgen.
            - **0:12 De praktijk op De Regenboog**: drie middagen per week, met
              sportverenigingen en de bibliotheek. Wat het van het team vraagt.
            - **0:35 Wat zegt onderzoek?** Vooral de kwaliteit van de begeleiding en de
              samenhang met de lessen maken het verschil.
            - **0:50 Financiering**: onderwijsachterstandenmiddelen, landelijke programma's
              en gemeentelijke subsidie. Wat mag wel en wat niet?
            - **1:02 Vragen uit de chat.**

            ## Wat ik zelf meenam

            Scholen willen vooral zekerheid voor langer dan één jaar. Daar ga ik me binnen de
            gemeente voor inzetten. De dia's stuur ik je graag toe.
            """
        ),
        useful=("Jeroen Brouwer", "Naima Azzouzi", "Hamid Ouali", "Femke Schouten"),
    ),
    ItemSpec(
        community="school",
        kind=HANDOUT,
        title="Tien tips van ouders: zo bereik je ouders die nooit op de ouderavond komen",
        authors=("Rachid Bennani", "Naima Azzouzi"),
        days_ago=38,
        tags=("ouderbetrokkenheid",),
        body=md(
            """
            Tips van ouders, voor scholen. We haalden ze op bij het schoolhek, in de moskee en
            bij de voedselbank, en dus niet op een ouderavond. Print hem uit voor je team.

            1. **Begin met iets positiefs.** Een appje "Amir heeft vandaag prachtig
               voorgelezen" opent meer deuren dan een uitnodiging voor een gesprek.
            2. **Kom naar ons toe.** Sta bij het hek, loop even mee naar de bushalte.
            3. **Nodig persoonlijk uit.** Een brief in de tas wordt niet gelezen; een vraag van
               de juf wel.
            4. **Denk aan werktijden.** Veel ouders werken in ploegen. Om acht uur 's ochtends
               kan soms beter dan om zeven uur 's avonds.
            5. **Gebruik gewone taal.** Met "ontwikkelingsperspectief" weten wij niet wat je
               bedoelt.
            6. **Regel een tolk**, en laat niet het oudste kind vertalen.
            7. **Vraag wat wij weten.** Ouders kennen hun kind het best.
            8. **Laat zien wat er met onze inbreng gebeurt.**
            9. **Maak kleine rollen mogelijk.** Eén keer meehelpen met koken is ook
               betrokkenheid.
            10. **Geef het tijd.** Vertrouwen is na één gesprek niet af.

            *Samengesteld door de MR van De Regenboog en het team van De Vlinderboom.*
            """
        ),
        useful=(
            "Hamid Ouali",
            "Jeroen Brouwer",
            "Erik Postma",
            "Yvonne Tjon A Fong",
            "Karin Dijkstra",
            "Dennis Ramkisoen",
        ),
        comments=(("Hamid Ouali", "Tip 6 zou in elke personeelskamer moeten hangen."),),
    ),
    ItemSpec(
        community="school",
        kind=EXAMPLE,
        title="Acht groepen, tweeënhalve leraar: ons rooster op De Klimop",
        authors=("Sandra Kok",),
        days_ago=248,
        tags=("combinatieklassen", "roosteren", "kleine scholen"),
        body=md(
            """
            De Klimop heeft 58 leerlingen, acht jaargroepen en tweeënhalve fte aan leraren.
            Sinds twee jaar werken we met een rooster dat op het eerste gezicht ingewikkeld
            lijkt, maar veel rust geeft.

            ## Het rooster in het kort

            - **'s Ochtends** instructie in drie stamgroepen: 1-3, 4-6 en 7-8. De ene leraar
              geeft instructie, de andere loopt rond bij het zelfstandig werken.
            - **Niveaugroepen voor rekenen en lezen**: kinderen werken op hun eigen niveau,
              welke jaargroep ze ook zitten.
            - **'s Middags** projecten door de hele school, met de onderwijsassistent en
              vrijwilligers uit het dorp.
            - **Vrijdagmiddag** lezen de oudste kinderen voor aan de jongste. Zo hebben beide
              leraren een uur voorbereidingstijd.

            ## Wat het vraagt

            - Een duidelijk dagritme op het bord, met pictogrammen.
            - Kinderen die zelfstandig kunnen werken. Dat oefenen we vanaf groep 1.
            - Een team dat elkaars groepen goed kent.

            ## Wat het oplevert

            Minder verzuim, omdat niemand er alleen voor staat. En een invaller vinden voor
            een halve dag lukt veel makkelijker dan voor een hele klas.
            """
        ),
        useful=("Erik Postma", "Karin Dijkstra", "Thijs Meijer"),
    ),
    ItemSpec(
        community="school",
        kind=LINK,
        title="Wat werkt bij kansengelijkheid: een overzicht van onderzoek",
        authors=("Hamid Ouali",),
        days_ago=178,
        tags=("kansengelijkheid", "wat werkt"),
        url="https://watwerkt.onderwijskennis.example/kansengelijkheid",
        body=md(
            """
            Een overzichtssite die per aanpak laat zien wat we weten over de effecten: van
            voorschoolse educatie tot huiswerkbegeleiding en zomerscholen. Per aanpak staan er
            een korte samenvatting, de sterkte van het bewijs en de kosten.

            ## Waarom ik hem deel

            In bijna elke bijeenkomst vraagt iemand: "Werkt dat eigenlijk?" Deze site geeft
            geen pasklaar antwoord, maar helpt wel om het gesprek scherper te voeren.

            ## Tips bij het lezen

            - Kijk niet alleen naar het gemiddelde effect, maar ook naar de voorwaarden: bij
              wie werkte het, en onder welke omstandigheden?
            - Weinig bewijs betekent niet dat een aanpak slecht is. Soms is er gewoon weinig
              onderzocht.
            - Bespreek wat je leest met je team: wat past bij onze leerlingen?

            Ruben denkt graag mee als je de onderliggende studies wilt doorgronden.
            """
        ),
        useful=("Linda van Dam", "Ruben Hoekstra", "Jeroen Brouwer"),
    ),
    ItemSpec(
        community="school",
        kind=STORY,
        title="Voorlezen in je eigen taal",
        authors=("Jeroen Brouwer",),
        days_ago=228,
        tags=("taalachterstand", "ouderbetrokkenheid"),
        body=md(
            """
            Op De Regenboog spreken de kinderen thuis ruim twintig talen. Jarenlang zeiden we
            tegen ouders: praat thuis Nederlands met je kind. Goed bedoeld, maar het werkte
            averechts. Ouders die zelf met de taal worstelden, zeiden dan maar weinig.

            ## Hoe het begon

            Een moeder van een kleuter vroeg of ze een Arabisch prentenboek mocht voorlezen in
            de klas. De juf twijfelde, ik ook. We deden het toch. Twintig kleuters zaten
            muisstil, en haar zoon straalde.

            ## Hoe het groeide

            - Op vrijdag is er nu een voorleesochtend: ouders lezen voor in hun eigen taal,
              daarna leest de leerkracht hetzelfde boek in het Nederlands.
            - De bibliotheek hielp ons aan prentenboeken in meer dan twintig talen.
            - Ouders die nooit binnenkwamen, staan nu om half negen in de klas.

            ## Wat het ons bracht

            Kinderen merken dat hun thuistaal er mag zijn. Ouders voelen zich welkom en praten
            thuis meer met hun kind, over de verhalen. En onze leerkrachten leren de gezinnen
            echt kennen.

            ## Wat ik nu anders zou doen

            Eerder met het team praten. Een paar collega's vonden het onwennig om niet alles te
            verstaan. Dat hadden we vooraf moeten bespreken in plaats van achteraf.
            """
        ),
        useful=(
            "Hamid Ouali",
            "Karin Dijkstra",
            "Naima Azzouzi",
            "Rachid Bennani",
            "Linda van Dam",
            "Marloes Bakker",
            "Erik Postma",
            "Femke Schouten",
        ),
        comments=(
            (
                "Rachid Bennani",
                "Als vader kan ik het bevestigen: mijn vrouw ging voor het eerst met plezier "
                "naar school. Ze leest nu elke maand voor.",
            ),
            (
                "Femke Schouten",
                "Een mooi voorbeeld van wat ook uit onderzoek blijkt: wie de thuistaal "
                "waardeert, helpt kinderen juist bij het leren van het Nederlands.",
            ),
        ),
        featured=(GOOD_EXAMPLE, "Hamid Ouali"),
    ),
    ItemSpec(
        community="school",
        kind=STORY,
        title="Jeugdhulp aan de overkant van de gang",
        authors=("Naima Azzouzi", "Dennis Ramkisoen"),
        days_ago=128,
        tags=("IKC", "jeugdhulp op school", "gezinsondersteuning"),
        body=md(
            """
            Sinds dit schooljaar heeft Dennis drie ochtenden per week een vaste werkplek in ons
            kindcentrum. Zijn kamer ligt tegenover de personeelskamer. Dat laatste bleek
            belangrijker dan we dachten.

            ## Hoe het eerst ging

            Maakte een leerkracht zich zorgen, dan ging dat via de intern begeleider naar het
            wijkteam. Voordat er een gesprek was, waren we vaak zes weken verder. Ouders
            voelden zich dan al snel doorverwezen.

            ## Wat er nu gebeurt

            - Leerkrachten lopen tussen de middag even bij Dennis binnen: "Ik maak me zorgen,
              kijk je eens mee?"
            - Dennis staat 's ochtends bij de deur. Ouders kennen hem, dus een eerste gesprek
              voelt niet als een grote stap.
            - Eens per maand bespreken we met de opvang welke gezinnen wat extra steun kunnen
              gebruiken.

            ## Wat het oplevert

            Hulp begint eerder en lichter. Dit jaar hoefden minder kinderen naar specialistische
            jeugdhulp, omdat er al eerder iets gebeurde. Leerkrachten zeggen dat ze minder
            alleen staan met hun zorgen.

            ## Waar we nog mee zitten

            De financiering wordt per jaar geregeld. In april weet Dennis nog niet of hij na de
            zomer terugkomt. Voor gezinnen die net vertrouwen hebben opgebouwd, is dat een
            groot risico.
            """
        ),
        useful=(
            "Yvonne Tjon A Fong",
            "Linda van Dam",
            "Karin Dijkstra",
            "Pieter Visser",
            "Jeroen Brouwer",
        ),
        comments=(
            (
                "Linda van Dam",
                "Het punt over de financiering per jaar neem ik mee naar de lokale educatieve "
                "agenda. Dit moet meerjarig kunnen.",
            ),
        ),
    ),
    ItemSpec(
        community="school",
        kind=STORY,
        title="Mijn eerste jaar als schoolleider: de vraag die ik te laat stelde",
        authors=("Erik Postma",),
        days_ago=158,
        tags=("schoolleiderschap", "startende leraren"),
        body=md(
            """
            Anderhalf jaar geleden stond ik nog voor groep 7. Toen de directeur vertrok, vroeg
            het bestuur of ik het wilde overnemen. Ik zei ja, vol goede moed.

            ## De eerste maanden

            Ik wilde het goed doen en loste alles zelf op. Een ziekmelding om kwart over
            zeven? Dan stond ik zelf voor de klas. Een boze ouder? Die belde ik 's avonds terug.
            Na drie maanden was ik het overzicht kwijt. Het schoolplan lag onaangeroerd en het
            team wist niet meer waar we naartoe gingen.

            ## De vraag

            Op mijn eerste bijeenkomst van dit netwerk vroeg Karin in het rondje: "Waarbij heb
            je de afgelopen weken hulp gevraagd?" Ik kon niets noemen. Dat was confronterend.

            ## Wat ik sindsdien doe

            - Ik heb een vaste sparringpartner: Sandra, die al jaren een kleine school leidt.
              We bellen om de week.
            - Twee leerkrachten regelen nu het vervangingsrooster. Zij kennen de groepen beter
              dan ik.
            - Eén middag per week staat in mijn agenda als "niet storen", voor de lange
              termijn.

            ## Voor andere nieuwe schoolleiders

            Je hoeft het niet allemaal alleen te kunnen. Vraag hulp voordat het nodig is. In dit
            netwerk zitten mensen die het al eens hebben meegemaakt, en die graag helpen.
            """
        ),
        useful=(
            "Karin Dijkstra",
            "Sandra Kok",
            "Marloes Bakker",
            "Thijs Meijer",
            "Ruben Hoekstra",
            "Hamid Ouali",
        ),
        comments=(
            (
                "Thijs Meijer",
                "Herkenbaar, Erik, ook na acht jaar nog. Die middag 'niet storen' neem ik over.",
            ),
        ),
    ),
    ItemSpec(
        community="school",
        kind=LESSON,
        title="De regionale invalpool die leegliep",
        authors=("Karin Dijkstra", "Sandra Kok"),
        days_ago=188,
        tags=("lerarentekort", "startende leraren", "roosteren"),
        sections=lesson(
            tried="""
                Om het tekort aan invallers op te vangen, richtten we met zes schoolbesturen een
                regionale invalpool op. Zes leraren, onder wie vier starters, kregen een vaste
                aanstelling bij de pool en vielen in waar het nodig was. Wie een zieke leraar
                had, kon 's ochtends voor half acht bellen.
                """,
            went_wrong="""
                Binnen een halfjaar waren vier van de zes poolleraren vertrokken.

                - Ze hoorden pas om half acht op welke school ze die dag stonden, soms veertig
                  minuten rijden verderop.
                - Ze hoorden nergens echt bij: geen team, geen vaste collega's, geen
                  kerstborrel.
                - De starters kregen juist de lastigste klassen, zonder begeleiding.

                En de kleine dorpsscholen kwamen bijna nooit aan de beurt, omdat de grote
                scholen eerder belden.
                """,
            learned="""
                Een invalpool lost een roosterprobleem op, maar maakt het werk van de leraren
                zelf zwaarder. Juist startende leraren hebben een vaste plek nodig, met
                collega's die ze kennen. Voor hen is een pool de slechtste start die je kunt
                bedenken.
                """,
            differently="""
                - Poolleraren vast koppelen aan twee of drie scholen dicht bij elkaar, met een
                  thuisschool waar ze bij het team horen.
                - Alleen ervaren leraren in de pool, geen starters.
                - Een eerlijke verdeling tussen grote en kleine scholen afspreken, in plaats van
                  wie het eerst belt.
                - Na drie maanden met de poolleraren zelf evalueren. Dat deden we pas toen ze al
                  weg waren.
                """,
        ),
        useful=(
            "Hamid Ouali",
            "Erik Postma",
            "Jeroen Brouwer",
            "Thijs Meijer",
            "Marloes Bakker",
            "Linda van Dam",
            "Pieter Visser",
        ),
        comments=(
            (
                "Marloes Bakker",
                "Dit sluit aan bij wat we in ons onderzoek zien: starters haken af als ze "
                "nergens bij horen. Fijn dat jullie het zo eerlijk opschrijven.",
            ),
        ),
    ),
    ItemSpec(
        community="school",
        kind=LESSON,
        title="Portfolio's die niemand las",
        authors=("Thijs Meijer",),
        days_ago=22,
        tags=("eigenaarschap", "montessorionderwijs"),
        sections=lesson(
            tried="""
                Om kinderen meer eigenaar te maken van hun leren, voerden we in de bovenbouw een
                digitaal portfolio in. Leerlingen zetten er elke week hun beste werk in, met een
                korte reflectie: wat ging goed, wat wil ik nog leren? In de oudergesprekken zou
                het portfolio centraal staan.
                """,
            went_wrong="""
                Na een paar maanden werden de reflecties steeds korter: "ging goed", "beter
                opletten". Kinderen vulden het in omdat het moest. Ouders keken er thuis
                nauwelijks naar, en in de gesprekken bladerden we er snel doorheen. Ondertussen
                waren leerkrachten er elke vrijdagmiddag een uur mee bezig.
                """,
            learned="""
                Een portfolio maakt kinderen geen eigenaar, een goed gesprek wel. Pas toen een
                leerkracht met een kind over één stuk werk ging praten, kwam er echte
                reflectie. We hadden het doel, nadenken over je eigen leren, verward met het
                middel.
                """,
            differently="""
                - Beginnen met korte gesprekjes van vijf minuten tussen leerkracht en kind, en
                  pas daarna iets vastleggen.
                - Kinderen zelf laten kiezen wat ze bewaren, en waarom.
                - Het kind het oudergesprek laten leiden, met het portfolio als hulpmiddel.
                - Minder vaak en beter: eens per maand in plaats van elke week.
                """,
        ),
        useful=("Karin Dijkstra", "Hamid Ouali", "Erik Postma", "Femke Schouten"),
    ),
    # --- Energiekring Vogelwijk -----------------------------------------------------------
    ItemSpec(
        community="energie",
        kind=TOOLKIT,
        title="Toolkit voor energiecoaches: het eerste huisbezoek",
        authors=("Jan-Willem Scholten",),
        days_ago=118,
        tags=("energiecoach", "kleine energiemaatregelen", "isolatie"),
        body=md(
            """
            Alles wat een nieuwe energiecoach in de Vogelwijk nodig heeft voor een eerste
            bezoek. Ik heb er inmiddels ruim zestig gedaan en schreef op wat ik had willen
            weten toen ik begon.

            ## In de coachtas

            - Tochtstrips, radiatorfolie, een paar ledlampen en een waterbesparende douchekop
              om gratis achter te laten
            - Een infraroodthermometer om koude plekken te laten zien
            - Een rolmaat en een schaar
            - Het aanvraagformulier voor de energiebox en de folder van het energieloket

            ## Het bezoek in vier delen

            1. **Kennismaken** (10 minuten): vraag waar mensen zelf last van hebben. Koude
               voeten? Een hoge rekening? Schimmel in de badkamer?
            2. **Samen door het huis** (30 minuten): begin in de kamer waar mensen het meest
               zitten.
            3. **Meteen iets doen** (20 minuten): plak samen de eerste tochtstrip. Wat mensen
               zelf gedaan hebben, onthouden ze.
            4. **Afspreken** (10 minuten): één of twee vervolgstappen, niet meer. Schrijf ze op
               een briefje voor op de koelkast.

            ## Houd er rekening mee

            - Begin niet over geld als mensen dat zelf niet doen, maar noem wel dat er een
              consulent geldzaken is die kan helpen.
            - Huurders mogen niet alles zelf aanpassen. Grote klussen horen bij de corporatie.
            - Kom na zes weken terug. Dan zie je wat er echt veranderd is.
            """
        ),
        useful=(
            "Daan Koster",
            "Sevda Aydın",
            "Wendy Maas",
            "Kofi Mensah",
            "Ilse de Wit",
            "Lieke Hermans",
            "Mariam Haddad",
        ),
        comments=(
            (
                "Ilse de Wit",
                "Fijn dat je het geldstuk zo voorzichtig beschrijft. Willen de energiecoaches "
                "voortaan mijn kaartje met de spreekuurtijden meenemen?",
            ),
            (
                "Jan-Willem Scholten",
                "Goed idee, Ilse. Vanaf deze week zitten ze in elke coachtas.",
            ),
        ),
        featured=(TOOLBOX, "Daan Koster"),
    ),
    ItemSpec(
        community="energie",
        kind=STEP_PLAN,
        title="In vijf stappen naar een warm jarendertighuis",
        authors=("Rob van Leeuwen", "Wendy Maas"),
        days_ago=80,
        tags=("isolatie", "warmtepomp"),
        body=md(
            """
            Veel huizen in de Vogelwijk zijn rond 1930 gebouwd: mooi, maar lek. In welke
            volgorde je dingen aanpakt, scheelt veel geld. Dit is de volgorde die we eigenaren
            aanraden. Wendy zorgde ervoor dat het begrijpelijk bleef.

            ## Stap 1: Zoek uit waar het lekt

            Laat een energiecoach langskomen of laat een warmtebeeld maken. Dat kost weinig en
            voorkomt dure vergissingen.

            ## Stap 2: Dicht de kieren

            Tochtstrips, een borstel in de brievenbus, kit rond de kozijnen. Goedkoop, en je
            merkt het meteen.

            ## Stap 3: Isoleer van onder naar boven

            Eerst de vloer (vaak via de kruipruimte), dan het dak, dan de spouwmuur als je die
            hebt. Ventileer daarna goed, anders krijg je last van vocht.

            ## Stap 4: Vervang het glas

            Enkel glas of oud dubbel glas vervang je door HR++ of triple glas, het liefst in één
            keer met nieuwe kozijnen als die toch aan vervanging toe zijn.

            ## Stap 5: Pas dan de verwarming aan

            Is het huis goed geïsoleerd, dan kan er een hybride warmtepomp in, en later
            misschien een volledig elektrische. Andersom werkt het niet: een warmtepomp in een
            tochtig huis wordt een teleurstelling.

            **Tip:** vraag bij elke stap naar subsidie vóórdat je een opdracht geeft. Achteraf
            aanvragen kan vaak niet meer.
            """
        ),
        useful=(
            "Jan-Willem Scholten",
            "Wim de Groot",
            "Kofi Mensah",
            "Daan Koster",
            "Gerard Smits",
        ),
        comments=(
            (
                "Wim de Groot",
                "Bij oudere huurders doen wij stap 3 en 4 vaak in één keer, anders hebben ze "
                "twee keer de overlast. Misschien handig om erbij te zetten?",
            ),
        ),
    ),
    ItemSpec(
        community="energie",
        kind=WEBINAR,
        title="Webinar: een warmtepomp in een oud huis, eerlijk uitgelegd",
        authors=("Rob van Leeuwen",),
        days_ago=66,
        tags=("warmtepomp", "installatietechniek"),
        url="https://webinar.vogelwijkenergie.example/warmtepomp-oud-huis",
        body=md(
            """
            De opname van de avond in De Spreeuw, voor wie er niet bij kon zijn. Zonder
            verkooppraatje vertel ik wat een warmtepomp wel en niet kan in huizen zoals die in
            de Vogelwijk.

            ## Onderwerpen

            - **Hybride of volledig elektrisch?** Voor de meeste jarendertigwoningen is een
              hybride warmtepomp nu de verstandigste stap.
            - **Geluid**: waar zet je de buitenunit neer zonder ruzie met de buren?
            - **Lage temperatuur**: waarom je radiatoren soms groter moeten, en wat dat
              betekent voor je woonkamer.
            - **Kosten en terugverdientijd**: rekenvoorbeelden van drie huizen in de wijk, met
              en zonder subsidie.
            - **Vragen uit de zaal**, ook over huurwoningen. Hans van de corporatie gaf
              antwoord.

            ## Na afloop

            Een paar bewoners vroegen om een lijst met vragen voor een installateur. Die staat
            in de samenvatting onder de opname. Vraag altijd bij minstens twee bedrijven een
            offerte aan, ook als een van die twee het mijne is.
            """
        ),
        useful=("Wendy Maas", "Hans Lammers", "Jan-Willem Scholten", "Bart Vermeulen"),
    ),
    ItemSpec(
        community="energie",
        kind=HANDOUT,
        title="Hulp bij een hoge energierekening: waar kun je aankloppen?",
        authors=("Ilse de Wit",),
        days_ago=33,
        tags=("energietoeslag", "schulden", "formulieren"),
        body=md(
            """
            Voor energiecoaches, buren en iedereen die merkt dat iemand de energierekening niet
            meer kan betalen. Laat hem gerust achter op de keukentafel.

            ## Waar kun je aankloppen?

            - **Energietoeslag of noodfonds**: afhankelijk van het jaar en je inkomen kun je
              bij de gemeente een tegemoetkoming aanvragen. Vraag na wat er nu geldt.
            - **Betalingsregeling**: bel je energieleverancier zodra je achterloopt. Die moet
              je een regeling aanbieden voordat hij mag afsluiten.
            - **Energiebox en energiecoach**: gratis spullen en advies om minder te verbruiken.
            - **Hulp bij formulieren**: ik help je met invullen, ook als je de taal nog niet
              goed spreekt.

            ## Neem mee naar de afspraak

            - Je laatste jaarafrekening en een recente rekening
            - Je bankafschriften van de afgelopen maand
            - Brieven van de leverancier of een incassobureau

            ## Goed om te weten

            Schaam je niet. In onze wijk zitten veel gezinnen en ouderen in dezelfde situatie.
            Hoe eerder je hulp vraagt, hoe kleiner het probleem blijft.

            *Ilse de Wit, consulent geldzaken, elke woensdagochtend in De Spreeuw.*
            """
        ),
        useful=(
            "Jan-Willem Scholten",
            "Sevda Aydın",
            "Lieke Hermans",
            "Mariam Haddad",
            "Wim de Groot",
        ),
    ),
    ItemSpec(
        community="energie",
        kind=EXAMPLE,
        title="Zonnepanelen op het dak van de basisschool",
        authors=("Daan Koster",),
        days_ago=140,
        tags=("zonnepanelen", "energiecoöperatie"),
        body=md(
            """
            Zes jaar geleden begon de coöperatie met 180 zonnepanelen op het dak van de
            basisschool aan de Lijsterlaan. Omdat ik vaak de vraag krijg hoe we dat deden,
            hier de kern.

            ## Hoe het werkt

            - De school stelt het dak beschikbaar en krijgt een deel van de opbrengst.
            - Buren kopen certificaten van 250 euro en krijgen elk jaar een vergoeding voor de
              opgewekte stroom.
            - Wie geen geld heeft om in te leggen, doet mee via het buurtdeel: een deel van de
              winst gaat naar een energiefonds voor huishoudens met een kleine beurs.

            ## Wat goed werkte

            - Leerlingen volgen de opbrengst op een scherm in de hal. De school maakte er een
              lesproject van.
            - Omdat het dak van iedereen is, zien buren de coöperatie als iets van de wijk, en
              niet van een paar idealisten.

            ## Wat lastig was

            - De vergunning en de afspraken met het schoolbestuur kostten bijna een jaar.
            - De eerste deelnemers waren vooral huiseigenaren. Huurders bereikten we pas goed
              toen we het buurtdeel invoerden.

            We delen graag onze overeenkomst met het schoolbestuur. Stuur me een bericht.
            """
        ),
        useful=("Gerard Smits", "Mariam Haddad", "Kofi Mensah"),
    ),
    ItemSpec(
        community="energie",
        kind=LINK,
        title="Subsidiewijzer: welke regeling past bij jouw huis?",
        authors=("Mariam Haddad",),
        days_ago=108,
        tags=("subsidies", "aardgasvrij"),
        url="https://subsidiewijzer.tiel-verduurzaamt.example/",
        body=md(
            """
            De gemeente liet een online subsidiewijzer maken. Je beantwoordt een paar vragen
            over je woning (huur of koop, bouwjaar, inkomen) en ziet dan welke landelijke en
            gemeentelijke regelingen voor jou gelden.

            ## Waarom deze link

            - Regelingen veranderen vaak; de wijzer wordt elke maand bijgewerkt.
            - Per regeling staat erbij of je vóór of na de verbouwing moet aanvragen. Daar
              gaat het vaak mis.
            - De wijzer is er ook in het Engels, Turks en Arabisch.

            ## Let op

            De wijzer weet niet alles. Voor huurders gelden vaak andere afspraken, via de
            corporatie. Twijfel je? Kom langs op het spreekuur in De Spreeuw, of stuur me een
            bericht.
            """
        ),
        useful=("Wendy Maas", "Lieke Hermans", "Rob van Leeuwen", "Gerard Smits"),
    ),
    ItemSpec(
        community="energie",
        kind=STORY,
        title="Portiekgesprekken: huurders praten mee voordat de steigers staan",
        authors=("Sevda Aydın", "Hans Lammers"),
        days_ago=98,
        tags=("huurders", "bewonersparticipatie", "planning renovatie"),
        body=md(
            """
            Vorig jaar kregen de portiekflats aan de Spreeuwenlaan een brief van de
            corporatie: "Uw woning wordt verduurzaamd." De bewonerscommissie kreeg die week
            veertig telefoontjes. Gaat de huur omhoog? Moeten we eruit? Wat als mijn moeder
            ziek is?

            ## Wat we anders deden

            Hans stelde voor om geen grote avond te houden, maar per portiek een gesprek. Acht
            woningen, één huiskamer, een pot koffie. Hans kwam met een tekenaar van de
            aannemer, ik kwam als buurvrouw.

            - We begonnen met de vraag: wat wilt u zeker weten voordat we beginnen?
            - De tekenaar liet met foto's zien hoe het er tijdens de werkzaamheden uitziet.
            - Per portiek kozen we een contactpersoon die de buren op de hoogte houdt.

            ## Wat het opleverde

            Tweeëntwintig van de vierentwintig portieken deden mee. Bewoners kwamen met dingen
            waar de corporatie niet aan had gedacht: een buurman met nachtdienst die overdag
            moet slapen, een gezin dat tijdens de ramadan liever geen werk in de vroege ochtend
            wilde. De planning is daarop aangepast.

            ## Wat ik als bewoner heb geleerd

            Zorgen verdwijnen niet door een folder, wel door iemand die je kent en die eerlijk
            zegt wat hij nog niet weet. Hans zei vaak: "Dat weet ik niet, maar ik zoek het
            uit." En dat deed hij ook.
            """
        ),
        useful=(
            "Daan Koster",
            "Mariam Haddad",
            "Wim de Groot",
            "Kofi Mensah",
            "Lieke Hermans",
            "Jan-Willem Scholten",
            "Gerard Smits",
        ),
        comments=(
            (
                "Gerard Smits",
                "Precies het soort aanpak dat we als provincie willen ondersteunen. Ik neem "
                "contact op om te kijken hoe jullie dit naar andere wijken kunnen brengen.",
            ),
            (
                "Wim de Groot",
                "'Dat weet ik niet, maar ik zoek het uit.' Die zin hangt vanaf nu bij ons op "
                "kantoor.",
            ),
        ),
        featured=(GOOD_EXAMPLE, "Mariam Haddad"),
    ),
    ItemSpec(
        community="energie",
        kind=STORY,
        title="Zes weken een thermometer in elke kamer",
        authors=("Wendy Maas", "Kofi Mensah"),
        days_ago=42,
        tags=("binnenklimaat en gezondheid", "metingen", "ervaringsverhalen"),
        body=md(
            """
            Ons huis voelde altijd koud, hoe hoog de thermostaat ook stond. Kofi zocht
            huishoudens die wilden meten, en ik gaf me op. Zes weken lang hingen er kleine
            meters in de woonkamer, de slaapkamers en de badkamer.

            ## Wat we zagen

            - Bij de thermostaat was het netjes twintig graden. Op de vloer, waar onze jongste
              speelt, was het veertien.
            - In de slaapkamer van onze dochter was de lucht 's ochtends vaak erg vochtig. Dat
              verklaarde de schimmel achter haar kast.
            - Na het koken bleef de lucht in de keuken lang benauwd, omdat we de afzuigkap
              nooit aanzetten: die maakt zoveel lawaai.

            ## Wat we hebben gedaan

            1. De kruipruimte laten isoleren. De vloer werd meteen een paar graden warmer.
            2. De roosters boven de slaapkamerramen weer opengezet, en de kast een stukje van
               de muur gehaald.
            3. Een stillere afzuigkap gekocht.

            ## Wat ik wil meegeven

            Meten maakt zichtbaar wat je voelt, en je hebt iets in handen als je naar de
            corporatie of een installateur stapt. Kofi leent de meters graag uit; ze hangen nu
            bij de buren.
            """
        ),
        useful=("Jan-Willem Scholten", "Hans Lammers", "Lieke Hermans", "Ilse de Wit"),
        comments=(
            (
                "Hans Lammers",
                "Sterk verhaal, Wendy. Kunnen we die meters ook lenen voor een paar huurwoningen, "
                "vóór de renovatie? Dan zien we achteraf wat het verschil is.",
            ),
        ),
    ),
    ItemSpec(
        community="energie",
        kind=STORY,
        title="De straatapp bereikte meer mensen dan de folder",
        authors=("Lieke Hermans",),
        days_ago=9,
        tags=("buurtapp", "ervaringsverhalen", "bewonersparticipatie"),
        body=md(
            """
            Toen de gemeente een folder over de warmtevisie in de bus deed, heb ik hem eerlijk
            gezegd ongelezen bij het oud papier gelegd. Tussen werk en twee kinderen door lees
            je zoiets niet. Mijn buren ook niet, bleek later.

            ## Hoe het begon

            In onze straatgroep vroeg iemand: "Weet iemand wat dat aardgasvrij gedoe voor ons
            betekent?" Binnen een uur waren er dertig reacties, vooral zorgen en geruchten. Ik
            heb Mariam toen gevraagd of zij in de groep wilde reageren.

            ## Wat werkte

            - Mariam sprak een bericht in van twee minuten, in gewone woorden. Dat werd vaker
              beluisterd dan welke folder ook gelezen werd.
            - We spraken af dat iemand van de energiekring één keer per week de vragen in de
              groep beantwoordt.
            - Een buurvrouw vertaalt de belangrijkste berichten in het Turks.

            ## Wat lastig is

            Niet iedereen zit in de groep, en in een app gaan geruchten net zo snel als goed
            nieuws. Daarom hangt dezelfde informatie ook op het raam van de bakker.

            ## Waarom ik dit deel

            Wil je dat gezinnen zoals het mijne meedoen, kom dan naar waar wij al zijn. Dat is
            vaker de app van de straat dan een avond in het buurthuis.
            """
        ),
        useful=("Mariam Haddad", "Sevda Aydın", "Daan Koster"),
        comments=(
            (
                "Sevda Aydın",
                "In de portiekflats werkt het precies zo. Zullen we de groepen eens aan elkaar "
                "koppelen?",
            ),
        ),
    ),
    ItemSpec(
        community="energie",
        kind=LESSON,
        title="Onze eerste bewonersavond was een presentatie",
        authors=("Mariam Haddad", "Daan Koster"),
        days_ago=137,
        tags=("bewonersparticipatie", "wijkuitvoeringsplan", "aardgasvrij"),
        sections=lesson(
            tried="""
                Kort na de start van de kring organiseerden we een eerste bewonersavond over het
                wijkuitvoeringsplan. We hadden een zaal voor tweehonderd mensen, een presentatie
                van veertig dia's over de warmtevisie en een adviseur van een ingenieursbureau
                die de technische mogelijkheden zou toelichten.
                """,
            went_wrong="""
                Er kwamen ruim honderd mensen, en na twintig minuten sloeg de sfeer om.

                - De dia's stonden vol woorden als "transitievisie warmte". Niemand wist wat we
                  bedoelden.
                - Vragen over huur en kosten konden we niet beantwoorden, omdat die nog niet
                  bekend waren.
                - Een paar bewoners zeiden boos dat "alles toch al besloten" was.

                In de pauze gingen veel mensen naar huis.
                """,
            learned="""
                Bewoners kwamen niet voor onze plannen, ze kwamen met hun zorgen. Zolang daar
                geen ruimte voor was, luisterde niemand naar de rest. En als je iets nog niet
                weet, zeg dat dan gewoon. Een vaag antwoord voelt als iets achterhouden.
                """,
            differently="""
                - Eerst in kleine groepen vragen ophalen, per straat of portiek, en pas daarna
                  een grote avond.
                - Geen beleidstaal; wie een afkorting gebruikt, legt hem uit. Dat is nu een van
                  onze afspraken.
                - Eerlijk zeggen wat nog niet vaststaat, en wanneer we het wel weten.
                - Bewoners vragen om de avond mee voor te bereiden, zodat niet alleen "de
                  gemeente" aan het woord is.
                """,
        ),
        useful=(
            "Sevda Aydın",
            "Hans Lammers",
            "Kofi Mensah",
            "Wendy Maas",
            "Jan-Willem Scholten",
            "Gerard Smits",
        ),
        comments=(
            (
                "Kofi Mensah",
                "Knap dat jullie dit zo opschrijven. In mijn interviews komt die avond nog "
                "steeds terug, maar mensen vertellen er ook bij dat het daarna beter werd.",
            ),
        ),
    ),
    ItemSpec(
        community="energie",
        kind=LESSON,
        title="Samen isoleren: goedkoper, maar niet sneller",
        authors=("Jan-Willem Scholten", "Rob van Leeuwen"),
        days_ago=58,
        tags=("isolatie", "collectieve inkoop"),
        sections=lesson(
            tried="""
                Met twintig huiseigenaren uit de Merelstraat en de Vinkenlaan zochten we samen
                één bedrijf voor vloer- en spouwmuurisolatie. Door de grote afname kregen we een
                flinke korting. Alle huizen moesten binnen vier weken klaar zijn, nog voor de
                winter.
                """,
            went_wrong="""
                - Het bedrijf plande de woningen achter elkaar in. Wie één afspraak moest
                  verzetten, schoof maanden op.
                - Bij zes huizen bleek de kruipruimte te laag of te nat. Die vielen af, terwijl
                  de korting was berekend op twintig woningen.
                - Niemand was verantwoordelijk voor de communicatie. Bewoners belden mij, ik
                  belde het bedrijf, en zo ging het heen en weer.

                Uiteindelijk waren twaalf huizen voor de winter klaar, de rest in het voorjaar.
                """,
            learned="""
                Samen inkopen levert geld op, maar vraagt om organisatie. Een vrijwilliger die
                het er even bij doet, houdt dat niet vol. En een goede opname van elk huis
                vooraf is geen luxe: die voorkomt teleurstelling en gedoe over de prijs.
                """,
            differently="""
                - Eerst elk huis laten bekijken, pas dan een prijs afspreken.
                - Eén aanspreekpunt bij het bedrijf én één bij de bewoners, vooraf vastgelegd.
                - Ruim plannen: liever een maand extra dan een belofte die we niet waarmaken.
                - Een kleine vergoeding voor de coördinator in de begroting opnemen.
                """,
        ),
        useful=("Daan Koster", "Hans Lammers", "Wendy Maas", "Kofi Mensah"),
        comments=(
            (
                "Daan Koster",
                "Voor de volgende ronde zetten we een vergoeding voor de coördinator in de "
                "subsidieaanvraag. Dank voor het eerlijke verslag.",
            ),
        ),
    ),
]
