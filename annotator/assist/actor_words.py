"""Word lists the ACTOR engine reads news English with: facts about names, not tuned guesses.

States (countries, their capitals and the demonyms that are NOT actors), the titles that announce
a person and stay outside the span, the words that end an organisation's or an outlet's name,
reporting verbs that put a name in speaker position, unnamed groups and speakers, and the
capitalised words that start sentences without being names. Kept apart from the engine so the
lists can be read and extended without reading the rules.
"""

from __future__ import annotations


def words_of(text: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text, as a set."""
    return frozenset(text.split())


# Country | capital | demonyms (space-separated; multi-word demonyms joined with "_").
# Alternative names of a country follow it after "/" ("United States/U.S./US/America").
_STATES = """
Afghanistan|Kabul|Afghan
Albania|Tirana|Albanian
Algeria|Algiers|Algerian
Andorra|Andorra la Vella|Andorran
Angola|Luanda|Angolan
Argentina|Buenos Aires|Argentine Argentinian
Armenia|Yerevan|Armenian
Australia|Canberra|Australian
Austria|Vienna|Austrian
Azerbaijan|Baku|Azerbaijani Azeri
Bahamas|Nassau|Bahamian
Bahrain|Manama|Bahraini
Bangladesh|Dhaka|Bangladeshi
Barbados|Bridgetown|Barbadian
Belarus|Minsk|Belarusian
Belgium|Brussels|Belgian
Belize|Belmopan|Belizean
Benin|Porto-Novo|Beninese
Bhutan|Thimphu|Bhutanese
Bolivia|La Paz|Bolivian
Bosnia and Herzegovina/Bosnia|Sarajevo|Bosnian
Botswana|Gaborone|Botswanan
Brazil|Brasília/Brasilia|Brazilian
Brunei|Bandar Seri Begawan|Bruneian
Bulgaria|Sofia|Bulgarian
Burkina Faso|Ouagadougou|Burkinabe
Burundi|Gitega|Burundian
Cambodia|Phnom Penh|Cambodian
Cameroon|Yaoundé/Yaounde|Cameroonian
Canada|Ottawa|Canadian
Cape Verde|Praia|Cape_Verdean
Central African Republic|Bangui|Central_African
Chad|N'Djamena|Chadian
Chile|Santiago|Chilean
China/People's Republic of China/PRC|Beijing|Chinese
Colombia|Bogotá/Bogota|Colombian
Comoros|Moroni|Comoran
Congo/Republic of the Congo|Brazzaville|Congolese
Democratic Republic of the Congo/DRC|Kinshasa|Congolese
Costa Rica|San José|Costa_Rican
Croatia|Zagreb|Croatian Croat
Cuba|Havana|Cuban
Cyprus|Nicosia|Cypriot
Czech Republic/Czechia|Prague|Czech
Denmark|Copenhagen|Danish Dane
Djibouti|Djibouti|Djiboutian
Dominican Republic|Santo Domingo|Dominican
Ecuador|Quito|Ecuadorian
Egypt|Cairo|Egyptian
El Salvador|San Salvador|Salvadoran
Equatorial Guinea|Malabo|Equatoguinean
Eritrea|Asmara|Eritrean
Estonia|Tallinn|Estonian
Eswatini|Mbabane|Swazi
Ethiopia|Addis Ababa|Ethiopian
Fiji|Suva|Fijian
Finland|Helsinki|Finnish Finn
France|Paris|French
Gabon|Libreville|Gabonese
Gambia|Banjul|Gambian
Georgia|Tbilisi|Georgian
Germany|Berlin|German
Ghana|Accra|Ghanaian
Greece|Athens|Greek
Guatemala|Guatemala City|Guatemalan
Guinea|Conakry|Guinean
Guinea-Bissau|Bissau|Bissau-Guinean
Guyana|Georgetown|Guyanese
Haiti|Port-au-Prince|Haitian
Honduras|Tegucigalpa|Honduran
Hungary|Budapest|Hungarian
Iceland|Reykjavik|Icelandic
India|New Delhi/Delhi|Indian
Indonesia|Jakarta|Indonesian
Iran|Tehran|Iranian
Iraq|Baghdad|Iraqi
Ireland|Dublin|Irish
Israel|Jerusalem|Israeli
Italy|Rome|Italian
Ivory Coast/Côte d'Ivoire|Yamoussoukro|Ivorian
Jamaica|Kingston|Jamaican
Japan|Tokyo|Japanese
Jordan|Amman|Jordanian
Kazakhstan|Astana|Kazakh Kazakhstani
Kenya|Nairobi|Kenyan
Kosovo|Pristina|Kosovar
Kuwait|Kuwait City|Kuwaiti
Kyrgyzstan|Bishkek|Kyrgyz
Laos|Vientiane|Lao Laotian
Latvia|Riga|Latvian
Lebanon|Beirut|Lebanese
Lesotho|Maseru|Basotho
Liberia|Monrovia|Liberian
Libya|Tripoli|Libyan
Liechtenstein|Vaduz|Liechtensteiner
Lithuania|Vilnius|Lithuanian
Luxembourg|Luxembourg|Luxembourgish
Madagascar|Antananarivo|Malagasy
Malawi|Lilongwe|Malawian
Malaysia|Kuala Lumpur|Malaysian
Maldives|Malé|Maldivian
Mali|Bamako|Malian
Malta|Valletta|Maltese
Mauritania|Nouakchott|Mauritanian
Mauritius|Port Louis|Mauritian
Mexico|Mexico City|Mexican
Moldova|Chisinau/Chișinău|Moldovan
Monaco|Monaco|Monegasque
Mongolia|Ulaanbaatar|Mongolian
Montenegro|Podgorica|Montenegrin
Morocco|Rabat|Moroccan
Mozambique|Maputo|Mozambican
Myanmar/Burma|Naypyidaw/Naypyitaw|Burmese
Namibia|Windhoek|Namibian
Nepal|Kathmandu|Nepali Nepalese
Netherlands/Holland|Amsterdam/The Hague|Dutch
New Zealand|Wellington|New_Zealander
Nicaragua|Managua|Nicaraguan
Niger|Niamey|Nigerien
Nigeria|Abuja|Nigerian
North Korea/DPRK/Democratic People's Republic of Korea|Pyongyang|North_Korean
North Macedonia/Macedonia|Skopje|Macedonian
Norway|Oslo|Norwegian
Oman|Muscat|Omani
Pakistan|Islamabad|Pakistani
Palestine|Ramallah|Palestinian
Panama|Panama City|Panamanian
Papua New Guinea|Port Moresby|Papua_New_Guinean
Paraguay|Asunción/Asuncion|Paraguayan
Peru|Lima|Peruvian
Philippines|Manila|Filipino Philippine
Poland|Warsaw|Polish Pole
Portugal|Lisbon|Portuguese
Qatar|Doha|Qatari
Romania|Bucharest|Romanian
Russia/Russian Federation|Moscow|Russian
Rwanda|Kigali|Rwandan
Saudi Arabia|Riyadh|Saudi
Senegal|Dakar|Senegalese
Serbia|Belgrade|Serbian Serb
Sierra Leone|Freetown|Sierra_Leonean
Singapore|Singapore|Singaporean
Slovakia|Bratislava|Slovak
Slovenia|Ljubljana|Slovenian Slovene
Somalia|Mogadishu|Somali
South Africa|Pretoria|South_African
South Korea/Republic of Korea/ROK|Seoul|South_Korean
South Sudan|Juba|South_Sudanese
Spain|Madrid|Spanish Spaniard
Sri Lanka|Colombo|Sri_Lankan
Sudan|Khartoum|Sudanese
Suriname|Paramaribo|Surinamese
Sweden|Stockholm|Swedish Swede
Switzerland|Bern|Swiss
Syria|Damascus|Syrian
Taiwan|Taipei|Taiwanese
Tajikistan|Dushanbe|Tajik
Tanzania|Dodoma|Tanzanian
Thailand|Bangkok|Thai
Timor-Leste/East Timor|Dili|Timorese
Togo|Lomé/Lome|Togolese
Trinidad and Tobago|Port of Spain|Trinidadian
Tunisia|Tunis|Tunisian
Turkey/Türkiye|Ankara|Turkish Turk
Turkmenistan|Ashgabat|Turkmen
Uganda|Kampala|Ugandan
Ukraine|Kyiv/Kiev|Ukrainian
Soviet Union/USSR|Moscow|Soviet
United Arab Emirates/UAE|Abu Dhabi|Emirati
United Kingdom/UK/U.K./Britain/Great Britain|London|British Briton English Scottish Welsh
United States/United States of America/US/U.S./USA/U.S.A./America|Washington|American
Uruguay|Montevideo|Uruguayan
Uzbekistan|Tashkent|Uzbek
Vatican/Holy See|Vatican City|Vatican
Venezuela|Caracas|Venezuelan
Vietnam|Hanoi|Vietnamese
Yemen|Sanaa/Sana'a|Yemeni
Zambia|Lusaka|Zambian
Zimbabwe|Harare|Zimbabwean
"""

# Adjectives of regions, religions and blocs: not actors either ("European", "Western").
_MORE_ADJECTIVES = (
    "European Asian African Arab Arabian Western Eastern Northern Southern Latin Nordic Baltic "
    "Balkan Caribbean Pacific Atlantic Mediterranean Middle_Eastern Soviet Sino Anglo Euro "
    "Islamic Muslim Christian Catholic Jewish Hindu Buddhist Sunni Shia Shiite Kurdish Basque "
    "Catalan Flemish Tibetan Uyghur Uighur Rohingya Pashtun Hispanic Scandinavian Persian "
    "Slavic Transatlantic Korean Congolese Irish Welsh Scottish"
)


def _states() -> tuple[dict[str, str], frozenset[str]]:
    names: dict[str, str] = {}  # a country's or capital's name -> the country's first name
    adjectives: set[str] = set(_MORE_ADJECTIVES.replace("_", " ").split())
    adjectives |= {a.replace("_", " ") for a in _MORE_ADJECTIVES.split() if "_" in a}
    for line in _STATES.strip().splitlines():
        countries, capitals, demonyms = line.split("|")
        country_names = countries.split("/")
        for name in (*country_names, *capitals.split("/")):
            names.setdefault(name, country_names[0])
        adjectives.update(d.replace("_", " ") for d in demonyms.split())
    return names, frozenset(adjectives)


STATES, DEMONYMS = _states()
"""STATES: country and capital names -> the country; DEMONYMS: adjectives and peoples, multi-word
ones ("North Korean") included whole."""

# Words, some of them capitals elsewhere in the list, that are far more often something else.
AMBIGUOUS_STATE_NAMES = frozenset({"Georgia", "Jordan", "Chad", "Niger", "Guinea", "Lima"})

# Tokens that announce a person's name and stay outside the span ("President Vladimir Putin",
# "spokeswoman Maria Zakharova"). Compared in lower case.
PERSON_TITLES = words_of(
    """
    president vice-president premier chancellor minister prime secretary secretary-general
    director-general attorney-general commander-in-chief governor-general president-elect
    mayor governor senator sen rep representative congressman congresswoman congressmember
    lawmaker legislator mp deputy speaker chairman chairwoman chair chairperson ceo cfo
    coo director chief head leader king queen prince princess emperor empress sheikh
    sultan emir pope cardinal archbishop bishop rev reverend father imam rabbi ayatollah
    dr doctor prof professor mr mrs ms miss sir dame lord lady madam judge justice
    magistrate attorney lawyer prosecutor general gen lt lieutenant col colonel maj major
    capt captain commander admiral sgt sergeant officer marshal corporal private brig
    brigadier ambassador envoy consul diplomat spokesman spokeswoman spokesperson
    spokesmen advisor adviser aide founder co-founder owner executive manager coach boss
    striker analyst economist researcher professor scientist author journalist reporter
    editor correspondent columnist commentator activist campaigner candidate nominee
    incumbent rapper singer actor actress comedian star player midfielder defender
    goalkeeper chancellor commissioner inspector detective sheriff superintendent
    councillor councilor alderman warden
    """
)

# Words that qualify a title without being one ("Foreign Minister", "Deputy Prime Minister").
TITLE_MODIFIERS = words_of(
    """
    foreign finance defence defense interior health justice trade economy economic
    education energy environment agriculture culture labour labor transport industry home
    state acting former ex deputy vice assistant associate senior junior chief first
    supreme interim executive managing general principal special top lead national
    regional local opposition party union army navy police military federal district
    attorney press communications
    """
)

TITLE_MODIFIERS |= words_of(
    """
    tourism housing infrastructure development digital science technology maritime sport
    sports veterans treasury immigration information planning social welfare women youth
    family water mining petroleum oil budget fisheries communications transport
    """
)

# Party adjectives: before a role they say whom a person sides with, not whom they work for
# ("Republican senator Ann Lee").
PARTY_ADJECTIVES = words_of(
    """
    Republican Democratic Democrat Conservative Liberal Socialist Communist Progressive
    Independent Nationalist Centrist Populist
    """
)

# Words that make the next name an outlet's or an organisation's ("the daily Marcador").
MEDIA_CUES = words_of(
    """
    newspaper daily weekly tabloid broadcaster magazine outlet channel website agency radio
    station network paper
    """
)
ORGANIZATION_CUES = words_of(
    """
    company firm club party group bank insurer carmaker automaker operator union charity
    lender retailer supermarket chain airline carrier developer contractor manufacturer
    producer conglomerate giant startup start-up regulator watchdog ngo organisation
    organization association alliance coalition movement
    """
)

# Words that end a club's name; the club's other word is also its short name ("Rovers").
CLUB_WORDS = words_of(
    """
    Rovers Wanderers Rangers Athletic Albion Hotspur United FC AFC CF SC Dynamo Deportivo
    Sporting Olympique Atletico Atlético Real Inter
    """
)

# First words that make a name a place or an event ("Port Aldren", "Storm Hallie").
NON_ACTOR_FIRSTS = words_of(
    """
    Port Mount Mt Lake River Cape Fort Storm Hurricane Typhoon Cyclone Tropical Operation
    Gulf Bay Isle Sea Camp Glen Valley Point
    """
)

# The last word of an organisation's name ("National Renewal Party", "Ministry of Finance").
ORG_WORDS = words_of(
    """
    Party Union Commission Ministry Ministries Agency Bank Banks University College School
    Academy Council Court Tribunal Institute Institution Association Company Co Corp
    Corporation Inc Incorporated Ltd Limited LLC PLC plc AG GmbH SA Group Holdings
    Federation Confederation Organization Organisation Committee Department Office Bureau
    Authority Administration Assembly Parliament Congress Senate Cabinet Government Army
    Navy Force Forces Guard Police Service Services Foundation Fund Trust Society League
    Alliance Coalition Movement Front Network Centre Center Board Secretariat Directorate
    Command Corps Brigade Battalion Regiment Church Mosque Diocese Club Team Federation
    Chamber Industries Industry Motors Airlines Airways Systems Technologies Technology
    Labs Laboratories Pharmaceuticals Energy Oil Petroleum Partners Capital Securities
    Insurance Group Institute Observatory Watch Initiative Project Programme Program
    Mission Commission Parliament Duma Knesset Bundestag Politburo Presidium Secretariat
    Council Caucus Unions Workers Brotherhood Cooperative Co-op Forum Enterprises
    Consortium Conglomerate Syndicate Cartel Exchange Registry Inspectorate Prosecutor
    Prosecution Judiciary Constabulary Gendarmerie Militia Guards Commando
    """
)

ORG_WORDS |= words_of(
    """
    Construction Foods Food Terminals Logistics Shipping Steel Mining Pharma Power Telecom
    Telecoms Dynamics Aerospace Solutions Software Electronics Chemicals Resources Realty
    Properties Investments Finance Ventures Entertainment Studios Brewing Brewery Mills
    Textiles Rail Railways Lines Coastguard Bancorp Trading Retail Stores Markets Healthcare
    Hospitals Utilities Electric Motors Automotive Farms Fisheries Rovers Wanderers Rangers
    Athletic Albion Hotspur FC AFC CF
    """
)

# A company's legal form: the name without it is how the article names it again ("Andes
# Copper" for "Andes Copper Corp.").
CORPORATE_SUFFIXES = words_of(
    """
    Corp Corporation Inc Incorporated Ltd Limited LLC PLC plc AG GmbH SA SpA NV BV Co Holdings
    """
)

# First words of a broadcaster's name ("Radio Cooperativa", "TV Globo").
BROADCAST_FIRSTS = words_of(
    """
    Radio Television TV Channel
    """
)

# Words that make an organisation's name an outlet's ("Korean Central News Agency").
MEDIA_WORDS = frozenset({"Ledger", "Clarion", "Bugle", "Echo"}) | words_of(
    """
    News Times Post Herald Tribune Journal Gazette Courier Telegraph Radio Television TV
    Broadcasting Broadcast Press Chronicle Daily Weekly Express Mirror Monitor Observer
    Guardian Independent Dispatch Inquirer Examiner Bulletin Mail Globe Reporter Newsweek
    Magazine Wire Media Channel Newspaper Sentinel Economist
    """
)
# Media words that are also ordinary parts of organisation names: media only after "News".
WEAK_MEDIA_WORDS = frozenset({"Agency", "Service", "Network", "Corporation", "Group"})

# Outlets and agencies known by a bare name or acronym.
OUTLETS = tuple(
    name.replace("_", " ")
    for name in words_of(
        """
    Reuters AP AFP BBC CNN KCNA TASS Xinhua Yonhap Bloomberg NHK Kyodo Interfax RIA RT
    Sputnik Anadolu DPA ANSA EFE NPR PBS ABC CBS NBC MSNBC Al_Jazeera Politico Axios CNBC
    Newsweek Euronews Deutsche_Welle DW France_24 Le_Monde Le_Figaro Der_Spiegel Spiegel
    Haaretz Rodong_Sinmun Pravda Izvestia Kommersant Vedomosti Asahi Yomiuri Mainichi
    Nikkei Caixin IRNA ISNA SANA WAFA Ukrinform UNIAN Meduza ProPublica Semafor
    """
    )
)

# Organisations known by one word, which is not otherwise a name's last word.
ONE_WORD_ORGANIZATIONS = (
    "Kremlin",
    "Pentagon",
    "Taliban",
    "Hamas",
    "Hezbollah",
    "Houthis",
    "NATO",
    "Nato",
    "OPEC",
    "Opec",
    "Interpol",
    "Europol",
    "Frontex",
    "UNESCO",
    "UNICEF",
    "UNHCR",
    "Greenpeace",
    "Amnesty International",
    "Human Rights Watch",
    "United Nations",
    "UN",
    "U.N.",
    "European Union",
    "EU",
    "World Bank",
    "International Monetary Fund",
    "IMF",
    "WHO",
    "World Health Organization",
    "Red Cross",
    "Red Crescent",
    "African Union",
    "ASEAN",
    "G7",
    "G20",
    "Brics",
    "BRICS",
    "White House",
    "Downing Street",
    "Elysee",
    "Élysée",
    "Blue House",
    "Congress",
    "Parliament",
)

# Acronyms and all-capital words that are not actors.
NON_ACTOR_ACRONYMS = words_of(
    """
    GDP GNP CEO CFO COO CTO AI TV DNA RNA HIV AIDS COVID SARS PM AM EV EVs IPO VAT PR USD
    EUR GBP JPY CNY OK ID PhD MBA BC AD CE BCE UTC GMT EST PST CET CCTV SUV SUVs LNG LPG
    CO2 ICBM ICBMs MP MPs PDF URL GPS SMS ATM PIN VIP FAQ DIY PS Q1 Q2 Q3 Q4 H1 H2 KM MW
    GW KWH
    """
)

# The verbs that attribute speech or thought: a name just before or after one is a speaker.
REPORTING_VERBS = words_of(
    """
    said says say told tells stated states added adds claimed claims argued argues warned
    warns insisted insists denied denies admitted admits confirmed confirms announced
    announces noted notes explained explains suggested suggests believes believe believed
    thinks think thought wrote writes reported reports found finds estimated estimates
    predicted predicts promised promises pledged pledges acknowledged acknowledges alleged
    alleges accused accuses urged urges called calls described describes emphasized
    emphasised emphasizes emphasises stressed stresses tweeted posted asked asks replied
    replies responded responds commented comments observed observes declared declares
    vowed vows agreed agrees disputed disputes countered counters cautioned cautions
    concluded concludes recalled recalls revealed reveals maintained maintains contended
    contends questioned questions doubted doubts feared fears hoped hopes expects expected
    welcomed welcomes condemned condemns criticized criticised criticizes criticises
    rejected rejects dismissed dismisses praised praises demanded demands point points
    pointed declined declines refused
    """
)

# Verbs, auxiliaries and adverbs that may stand between a subject and its reporting verb
# ("Okafor has also said", "analysts continue to monitor").
VERB_BRIDGES = words_of(
    """
    has have had also later then previously earlier again repeatedly publicly privately
    would will did does was is were are may might could should once separately yesterday
    today further recently already still often frequently generally widely
    """
)

# Verbs an unnamed group acts with besides reporting verbs ("residents fled", "observers
# continue to monitor").
GROUP_VERBS = REPORTING_VERBS | words_of(
    """
    continue continued continues see saw view viewed remain remained fear feared worry
    worried worries expect expected warn argue believe caution cautioned question
    questioned doubt protest protested protesting gathered gather marched march fled flee
    voted vote demand demanded oppose opposed support supported welcome welcomed criticise
    criticize monitor monitored monitoring estimate agree disagree disagreed attribute
    attributed link linked interpret interpreted describe described consider considered
    regard regarded speculate speculated suspect suspected insist insisted complain
    complained blame blamed accuse accused urge say note told tell stress emphasise
    emphasize point called call rallied walked struck strike staged stage launched planned
    """
)

# Unnamed groups that speak or act as a whole ("analysts", "residents"): plural head nouns.
GROUP_NOUNS = words_of(
    """
    analysts observers residents officials experts critics diplomats lawmakers legislators
    activists protesters protestors demonstrators witnesses investigators researchers
    scientists economists authorities prosecutors police officers soldiers troops voters
    citizens workers farmers fishermen doctors nurses teachers students parents supporters
    opponents sources insiders campaigners environmentalists scholars historians
    commentators pundits traders investors executives villagers locals regulators
    negotiators militants rebels medics survivors victims families relatives neighbours
    neighbors shopkeepers owners employees staff unions conservationists economists
    strategists advocates skeptics sceptics detractors commuters passengers consumers
    shoppers producers manufacturers exporters importers landlords tenants miners
    engineers firefighters rescuers volunteers organisers organizers delegates
    representatives leaders ministers senators MPs councillors councilors judges lawyers
    attorneys bankers creditors donors journalists reporters editors fans groups
    """
)

# Words that may define a group by its kind ("opposition lawmakers", "local fishermen").
GROUP_MODIFIERS = words_of(
    """
    opposition local foreign government military security health industry independent
    environmental party union police company intelligence ministry bank aid election
    energy market political defence defense climate legal rights rescue emergency medical
    western eastern federal state regional city council village town rural senior junior
    young elderly striking angry frustrated displaced affected concerned ordinary
    """
)

# Singular unnamed speakers, marked by the head noun alone ("a spokeswoman for the ministry").
SPEAKER_NOUNS = words_of(
    """
    spokeswoman spokesman spokesperson official resident diplomat source witness
    eyewitness analyst expert lawyer aide adviser advisor officer representative insider
    employee worker executive researcher economist activist doctor nurse teacher student
    farmer fisherman villager protester protestor survivor engineer negotiator commander
    soldier investigator scientist observer journalist reporter staffer member
    """
)

# Prepositions after which a state's name is a place ("made in Russia", "a visit to Russia").
LOCATION_PREPOSITIONS = words_of(
    """
    in into to at near across inside within throughout around toward towards via outside
    through onto beyond along off
    """
)
# Adjectives of direction before a state's name that make it a place ("southern Lebanon").
DIRECTION_ADJECTIVES = words_of(
    """
    northern southern eastern western central northeastern northwestern southeastern
    southwestern north south east west northeast northwest southeast southwest mainland
    rural coastal occupied
    """
)

# Nouns before "of" that make the name after it a place ("the capital of Russia").
PLACE_OF_NOUNS = words_of(
    """
    capital city town village region province outskirts centre center north south east
    west part parts streets coast border borders territory suburbs heart map
    """
)
# Lower-case nouns after a capitalised word that make it a place or a product ("the Vell
# river", "an Aurus limousine").
PLACE_OR_THING_NOUNS = words_of(
    """
    river sea ocean lake bay valley mountain mountains hills island islands peninsula
    coast region province district county city town village border strait gulf desert
    forest airport port harbour harbor station cosmodrome base plant factory mine dam
    bridge square street road avenue highway district area zone field reactor facility
    complex limousine car cars vehicle vehicles model brand phone phones smartphone app
    platform aircraft jet jets missile missiles tank tanks rifle drone drones engine
    software summit talks conference festival war crisis era period style dynasty
    """
)

# Last words that make a capitalised name a place, an event or a thing, not an actor.
NON_ACTOR_HEADS = words_of(
    """
    River Sea Ocean Lake Bay Valley Mountain Mountains Hills Island Islands Peninsula
    Coast Strait Gulf Desert Forest Airport Port Harbour Harbor Station Square Street Road
    Avenue Highway Bridge Dam Park Stadium Arena Hall Palace Tower Building Museum Hotel
    Hospital Cathedral Temple Zone Region Province District County City Town Village
    Border Line War Wars Cup Games Olympics Championship Championships Summit Conference
    Festival Prize Award Awards Day Week Year Act Bill Law Treaty Accord Accords Agreement
    Plan Strategy Doctrine Declaration Charter Constitution Convention Protocol Crisis
    Revolution Uprising Spring Storm Hurricane Typhoon Cyclone Earthquake Flood Pandemic
    Virus Disease Syndrome Gate Cosmodrome Canal Corridor Pipeline Stream Reactor
    """
)

MONTHS = words_of(
    """
    January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """
)
WEEKDAYS = words_of(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thurs
    Fri Sat Sun
    """
)

# Capitalised words that start sentences, headlines and quotes without being names. Compared in
# lower case. Words that are also names ("Will", "May", "Bill") are left out.
FUNCTION_WORDS = words_of(
    """
    nobody everybody somebody anybody no-one someone everyone anyone nothing everything
    something anything none whoever
    a an the this that these those there here it its it's they them their we our us you
    your he him his she her i me my mine who whom whose which what when where why how
    whether if unless until while although though because since as so yet but and or nor
    not no yes all any some many much more most few fewer less least several each every
    either neither both other another such same own only just even also too very quite
    rather in on at by for from with without within into onto upon about above below over
    under after before during between among through throughout against toward towards
    across along around behind beside besides beyond despite except inside outside near
    off out up down per via than then now today tomorrow yesterday tonight earlier later
    meanwhile however moreover furthermore nevertheless nonetheless therefore thus hence
    instead still already again once twice first second third last next finally ultimately
    eventually overall indeed perhaps maybe certainly clearly obviously apparently
    reportedly allegedly according given following including regarding amid amidst is are
    was were be been being am has have had do does did can could shall should would might
    must ought let lets let's not never always often sometimes usually asked told said
    says one two three four five six seven eight nine ten hundreds thousands millions
    dozens while whereas whatever whoever wherever whenever like unlike plus minus via re
    dear oh well okay ok please thanks thank breaking update updated exclusive analysis
    opinion editorial watch read photo video live latest report reports
    """
)
