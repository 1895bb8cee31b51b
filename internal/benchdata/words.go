package benchdata

// Word banks for the synthetic newsroom. Invented, city-paper English: the
// archive should read like news to the search index and the templates,
// not like lorem ipsum.

var sectionNames = []struct{ name, desc string }{
	{"News", "What is happening across the city and the valley."},
	{"Politics", "The council, the county and Westminster, as they touch us."},
	{"Business", "Work, shops, firms and money."},
	{"Sport", "Results, reports and the clubs we follow."},
	{"Culture", "Music, theatre, books, galleries and the people who make them."},
	{"Environment", "The river, the weather, the land and what we do to them."},
	{"Education", "Schools, colleges and the university."},
	{"Opinion", "Columns, editorials and letters."},
}

var firstNames = []string{"Marta", "Declan", "Hana", "Sam", "Priya", "Owen", "Aisha", "Tomasz", "Grace", "Felix",
	"Niamh", "Kwame", "Elena", "Rhys", "Yusuf", "Clara", "Jonah", "Leila", "Bram", "Ines", "Ruth", "Callum", "Mei", "Dev"}

var lastNames = []string{"Okafor", "Roe", "Kowalczyk", "Teague", "Naidoo", "Pritchard", "Haddad", "Lindqvist", "Byrne",
	"Achterberg", "Mensah", "Castell", "Darrow", "Whitlock", "Osei", "Ferreira", "Quill", "Marsh", "Tennant", "Varga"}

var jobTitles = []string{"Reporter", "Senior reporter", "Political editor", "Business correspondent", "Sports writer",
	"Arts correspondent", "Environment reporter", "Education correspondent", "Chief reporter", "Columnist"}

var places = []string{"Northgate", "Old Quay", "Tanners Green", "Lantern Hill", "Brackwater", "the Ropewalk", "Tollmoor",
	"Sallow End", "the Corn Exchange", "Market Street", "Weir Lane", "the Wend valley", "Castle Mead", "Harrow Cross",
	"St Bride's", "Fenwick Park", "the High Street", "Ashby Road", "the Swing Bridge", "Kiln Yard"}

var institutions = []string{"the city council", "the county council", "the university", "the hospital trust",
	"the river authority", "the chamber of commerce", "the police", "the fire service", "the bus company",
	"the housing association", "the Wanderers", "the Sinfonia", "the museum trust", "the library service",
	"the water company", "the planning committee", "the tenants' union", "the rowing club"}

var topics = []string{"housing", "library", "budget", "flood", "bus", "school", "hospital", "bridge", "market",
	"festival", "parking", "rent", "strike", "pension", "recycling", "cycle lane", "sewage", "heritage", "youth club",
	"tram", "allotment", "brewery", "theatre", "stadium", "harbour", "air quality", "energy", "broadband",
	"care home", "playground", "museum", "orchestra", "derby", "election", "tax", "jobs", "factory", "park",
	"high street", "police station"}

var tagNames = []string{"Housing", "Libraries", "Council budget", "Flooding", "Buses", "Schools", "Health",
	"Transport", "Planning", "Arts", "Football", "Rowing", "Cricket", "Rugby", "Climate", "River Wend",
	"Small business", "Jobs", "Crime", "Courts", "Heritage", "Music", "Theatre", "Books", "Food and drink",
	"Weather", "Elections", "Universities", "Energy", "Parks", "Tourism", "Cycling", "Policing", "Water",
	"Social care", "Youth", "Pensions", "Markets", "Festivals", "Science"}

var headlineVerbs = []string{"approves", "rejects", "delays", "backs", "warns over", "reopens", "closes", "cuts",
	"doubles", "scraps", "saves", "questions", "launches", "defends", "unveils", "pauses", "expands", "reviews"}

var headlineNouns = []string{"plan", "scheme", "bid", "funding", "review", "deal", "proposal", "project",
	"consultation", "contract", "report", "rescue package", "timetable", "strategy"}

var verbs = []string{"said", "confirmed", "warned", "argued", "insisted", "admitted", "added", "told the Courier",
	"explained", "suggested"}

var clauses = []string{
	"the decision was taken after months of consultation",
	"residents had raised concerns at a packed public meeting",
	"the figures were published on Tuesday evening",
	"officers are expected to report back in the spring",
	"the scheme would cost about %d thousand pounds",
	"%d people signed a petition against the change",
	"the vote was carried by %d votes to %d",
	"work is due to start next month and last about %d weeks",
	"the proposal has divided opinion in %s",
	"campaigners in %s say they were not consulted",
	"a spokesperson for %s declined to comment further",
	"%s said it would study the report carefully",
	"traders in %s reported a quieter week than usual",
	"the river rose by %d centimetres overnight",
	"the meeting ran late into the evening",
	"the plans will go before %s in the new year",
	"nearly %d households could be affected",
	"the idea was first floated by %s",
	"the final bill is expected to be higher",
	"a formal decision is due before the summer",
}

var quotes = []string{
	"We have listened to people and we think this is the right thing to do",
	"This is a good day for %s and for everyone who lives here",
	"Nobody asked us, and that is the real problem",
	"We cannot keep patching things up and hoping for the best",
	"It is not perfect, but it is a start",
	"People deserve straight answers, and so far they have not had them",
	"The money has to come from somewhere",
	"I have lived in %s for thirty years and I have never seen anything like it",
	"We will keep fighting until the decision is reversed",
	"Our members are tired, and they are angry",
	"The numbers simply do not add up",
	"There is a lot of goodwill, and we want to build on it",
	"Everyone played their part and the result speaks for itself",
	"We owe it to the next generation to get this right",
}

var subheads = []string{"What happens next", "The background", "Reaction", "The cost", "What residents say",
	"The vote", "Timetable", "The opposition", "In numbers", "The wider picture"}

var commentBodies = []string{
	"About time. This should have happened years ago.",
	"I would like to know who is actually paying for this.",
	"Great reporting, thank you for following this so closely.",
	"My street has been waiting for this for a decade.",
	"Not convinced. We have heard all of this before.",
	"Does anyone know whether the consultation is still open?",
	"Well done to everyone involved.",
	"The article misses the point about parking, which is the real issue.",
	"Sad to see this happen. It was a lovely place.",
	"Can we have a follow-up on what happened to the money last time?",
}
