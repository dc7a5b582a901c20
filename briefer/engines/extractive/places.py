"""Places a reader knows without being told: countries, US states, continents, the largest cities.

A name with no cue around it ("in", "from", a dateline) is only known for a place by knowing it;
this short list covers what news names most often. A place not in it still needs a cue.
"""

from __future__ import annotations

from briefer.text.words import wordset

# fmt: off
COUNTRIES = frozenset("""
Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|
Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Botswana|Brazil|Brunei|
Bulgaria|Burkina Faso|Burma|Burundi|Cambodia|Cameroon|Canada|Chad|Chile|China|Colombia|Congo|Costa Rica|
Croatia|Cuba|Cyprus|Czech Republic|Denmark|Djibouti|Dominican Republic|Ecuador|Egypt|El Salvador|England|
Eritrea|Estonia|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|
Guinea|Guyana|Haiti|Honduras|Hong Kong|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|
Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|
Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Macedonia|Madagascar|Malawi|Malaysia|Maldives|Mali|
Malta|Mauritania|Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|
Namibia|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|North Korea|Northern Ireland|Norway|Oman|
Pakistan|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Puerto Rico|Qatar|
Romania|Russia|Rwanda|Samoa|San Marino|Saudi Arabia|Scotland|Senegal|Serbia|Sierra Leone|Singapore|
Slovakia|Slovenia|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|Sudan|Suriname|Swaziland|
Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Tibet|Togo|Tonga|Trinidad|Tunisia|Turkey|
Turkmenistan|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|Uruguay|Uzbekistan|
Vatican|Venezuela|Vietnam|Wales|West Bank|Gaza|Yemen|Zambia|Zimbabwe|Britain|Great Britain|America|
Crimea|Chechnya|Kurdistan|Catalonia|Greenland|Soviet Union|Russian Federation|State of Israel|
Democratic Republic of the Congo|Democratic Republic of Congo
""".replace("\n", "").split("|"))
US_STATES = frozenset("""
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|Idaho|Illinois|
Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|
Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|
North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|
Texas|Utah|Vermont|Virginia|West Virginia|Wisconsin|Wyoming
""".replace("\n", "").split("|"))
REGIONS = frozenset("""
Africa|Asia|Europe|North America|South America|Latin America|Central America|Antarctica|Arctic|Oceania|
Middle East|Caribbean|Balkans|Scandinavia|Siberia|Sahara|Himalayas|Mediterranean|Atlantic|Pacific|
Indian Ocean|Persian Gulf|Gulf of Mexico|East Africa|West Africa|North Africa|Southeast Asia|
Central Asia|South Asia|East Asia|Eastern Europe|Western Europe|Midwest|Silicon Valley
""".replace("\n", "").split("|"))
CITIES = frozenset("""
London|Paris|Berlin|Madrid|Rome|Moscow|Beijing|Shanghai|Tokyo|Seoul|Delhi|New Delhi|Mumbai|Karachi|
Islamabad|Lahore|Kabul|Tehran|Baghdad|Damascus|Beirut|Jerusalem|Tel Aviv|Cairo|Istanbul|Ankara|Athens|
Dubai|Riyadh|Doha|Nairobi|Lagos|Abuja|Johannesburg|Cape Town|Sydney|Melbourne|Toronto|Montreal|
Vancouver|Mexico City|Havana|Caracas|Bogota|Lima|Santiago|Buenos Aires|Rio de Janeiro|Sao Paulo|
Washington|Chicago|Los Angeles|San Francisco|San Diego|Boston|Philadelphia|Houston|Dallas|Atlanta|Miami|
Seattle|Denver|Detroit|Baltimore|Las Vegas|Phoenix|New Orleans|Brooklyn|Manhattan|Hollywood|Glasgow|
Edinburgh|Manchester|Liverpool|Birmingham|Dublin|Brussels|Amsterdam|Vienna|Geneva|Zurich|Stockholm|
Oslo|Copenhagen|Helsinki|Warsaw|Prague|Budapest|Kiev|Kyiv|Minsk|Lisbon|Barcelona|Milan|Munich|Frankfurt|
Hamburg|Bangkok|Singapore|Jakarta|Manila|Hanoi|Kuala Lumpur|Taipei|Pyongyang|Sanaa|Aden|Tripoli|Tunis|
Algiers|Mogadishu|Khartoum|Mosul|Aleppo|Raqqa|Gaza City|Ramallah|Kandahar|Peshawar|Dhaka|Kathmandu|
Colombo|Perth|Auckland|Honolulu|Anchorage|Ferguson|Charleston|Nashville|Orlando|Austin|Sacramento|Oakland|
Abu Dhabi|St. Petersburg|Saint Petersburg|Sharm el-Sheikh|Tahrir Square
""".replace("\n", "").split("|"))
# fmt: on
KNOWN_PLACES = COUNTRIES | US_STATES | REGIONS | CITIES
"""Names news copy uses for places without saying so."""
PLACE_FIRST = wordset(
    "north south east west central northern southern eastern western upper lower fort mount lake port san santa los las"
)
"""First words that make a name a place ('North Yorkshire', 'Fort Worth')."""
PLACE_LAST = wordset(
    """airport park glacier peninsula island islands river valley square street avenue road bridge bay beach
    county province region city hill hills mountain mountains sea ocean desert coast canyon falls strait gulf
    district borough village town heights harbor harbour station airbase prison stadium arena palace tower
    cathedral mosque temple territory base mall area mount cemetery chapel basilica abbey coliseum plaza
    boulevard republic"""
)
"""Last words that make a name a place ('Ben Gurion Airport', 'Tahrir Square')."""
EVENT_LAST = wordset(
    """cup prix open olympics games championship championships festival awards summit conference war
    election elections marathon series day week month year revolution spring flight"""
)
"""The last word of an event's name ('World Cup', 'Arab Spring')."""
LAW_LAST = wordset("act treaty accord agreement law amendment doctrine")
"""The last word of a law's name: no person, organisation or place, and no event."""
