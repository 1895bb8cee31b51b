package quotes

import "strings"

// Word classes used by the attribution rules. A word can belong to several
// classes; the lexicon maps a lower-cased word to the union of its classes.
// Every list here is general English (speech verbs, function words, titles,
// kinship terms, organisation words), never a name taken from any article.
type wclass uint64

const (
	cCue         wclass = 1 << iota // speech or attribution verb, finite form
	cCueIng                         // -ing participle of a speech verb ("adding", "saying")
	cCueAdj                         // a cue only when it stands right before the quote ("declared")
	cCall                           // "called"/"described": a cue when an object precedes the quote, naming otherwise
	cNaming                         // word that introduces a term or title rather than a quote
	cPrep                           // preposition
	cDet                            // determiner or possessive pronoun opening a noun phrase
	cTitle                          // title or office placed before a name ("President", "Dr.")
	cOrg                            // word that marks an organisation name ("Council", "Police")
	cOrgNoun                        // common noun for an organisation ("ministry", "court")
	cRole                           // common noun for a person ("spokesman", "lawyer", "victim")
	cStop                           // capitalised function word that cannot start a name
	cTime                           // day or month name; never part of a person's name
	cSkip                           // adverb or auxiliary that may stand between subject and verb
	cPronHe                         // he
	cPronShe                        // she
	cPronIt                         // it
	cPronThey                       // they
	cPronI                          // I, we
	cMale                           // word that marks a man ("Mr.", "father", "spokesman")
	cFemale                         // word that marks a woman ("Mrs.", "wife", "spokeswoman")
	cConnector                      // lower-case particle inside a name ("bin", "van", "de")
	cSuffix                         // name suffix kept in the name ("Jr.", "III")
	cPostNominal                    // letters after a name that are not part of it ("QC", "PhD")
	cPlace                          // generic place word ("United", "North", "City")
	cDoc                            // document noun: a source that is not a speaker ("summary", "report")
	cRel                            // relative pronoun ("who", "which")
	cAbbrev                         // abbreviation that keeps its full stop ("Dr.", "U.S.")
	cVerbish                        // common non-speech verb, so a name after it is an object
	cPlural                         // plural person noun ("officials", "victims")
)

var lexicon = map[string]wclass{}

// lexKey maps a lower-case word of the lexicon to itself, so that lower can
// return it without allocating.
var lexKey = map[string]string{}

func addWords(c wclass, words string) {
	for _, w := range strings.Fields(words) {
		lexicon[w] |= c
	}
}

func fillKeys() {
	for w := range lexicon {
		lexKey[w] = w
	}
}

// speech verbs: base form, third person, past, -ing.
var cueVerbs = []struct{ base, s, past, ing string }{
	{"say", "says", "said", "saying"},
	{"tell", "tells", "told", "telling"},
	{"add", "adds", "added", "adding"},
	{"warn", "warns", "warned", "warning"},
	{"note", "notes", "noted", "noting"},
	{"explain", "explains", "explained", "explaining"},
	{"state", "", "stated", "stating"},
	{"claim", "claims", "claimed", "claiming"},
	{"comment", "comments", "commented", "commenting"},
	{"remark", "remarks", "remarked", "remarking"},
	{"tweet", "tweets", "tweeted", "tweeting"},
	{"write", "writes", "wrote", "writing"},
	{"read", "reads", "", ""},
	{"post", "", "posted", "posting"},
	{"ask", "asks", "asked", "asking"},
	{"answer", "answers", "answered", "answering"},
	{"reply", "replies", "replied", "replying"},
	{"respond", "responds", "responded", "responding"},
	{"insist", "insists", "insisted", "insisting"},
	{"argue", "argues", "argued", "arguing"},
	{"announce", "announces", "announced", "announcing"},
	{"acknowledge", "acknowledges", "acknowledged", "acknowledging"},
	{"admit", "admits", "admitted", "admitting"},
	{"blame", "blames", "blamed", "blaming"},
	{"characterize", "characterizes", "characterized", "characterizing"},
	{"characterise", "characterises", "characterised", "characterising"},
	{"praise", "praises", "praised", "praising"},
	{"indicate", "indicates", "indicated", "indicating"},
	{"suggest", "suggests", "suggested", "suggesting"},
	{"continue", "continues", "continued", "continuing"},
	{"conclude", "concludes", "concluded", "concluding"},
	{"recall", "recalls", "recalled", "recalling"},
	{"observe", "observes", "observed", "observing"},
	{"emphasize", "emphasizes", "emphasized", "emphasizing"},
	{"emphasise", "emphasises", "emphasised", "emphasising"},
	{"stress", "stresses", "stressed", "stressing"},
	{"urge", "urges", "urged", "urging"},
	{"predict", "predicts", "predicted", "predicting"},
	{"promise", "promises", "promised", "promising"},
	{"vow", "vows", "vowed", "vowing"},
	{"pledge", "pledges", "pledged", "pledging"},
	{"report", "", "reported", ""},
	{"confirm", "confirms", "confirmed", "confirming"},
	{"deny", "denies", "denied", "denying"},
	{"accuse", "accuses", "accused", "accusing"},
	{"allege", "alleges", "alleged", "alleging"},
	{"testify", "testifies", "testified", "testifying"},
	{"cite", "cites", "cited", "citing"},
	{"quote", "", "quoted", "quoting"},
	{"suppose", "supposes", "supposed", ""},
	{"express", "expresses", "expressed", "expressing"},
	{"offer", "offers", "offered", "offering"},
	{"speak", "speaks", "spoke", "speaking"},
	{"concede", "concedes", "conceded", "conceding"},
	{"assert", "asserts", "asserted", "asserting"},
	{"mention", "mentions", "mentioned", "mentioning"},
	{"joke", "jokes", "joked", "joking"},
	{"lament", "laments", "lamented", "lamenting"},
	{"complain", "complains", "complained", "complaining"},
	{"boast", "boasts", "boasted", "boasting"},
	{"caution", "cautions", "cautioned", "cautioning"},
	{"demand", "demands", "demanded", "demanding"},
	{"plead", "pleads", "pleaded", "pleading"},
	{"shout", "shouts", "shouted", "shouting"},
	{"scream", "screams", "screamed", "screaming"},
	{"yell", "yells", "yelled", "yelling"},
	{"whisper", "whispers", "whispered", "whispering"},
	{"exclaim", "exclaims", "exclaimed", "exclaiming"},
	{"wonder", "wonders", "wondered", "wondering"},
	{"recount", "recounts", "recounted", "recounting"},
	{"talk", "talks", "talked", "talking"},
	{"reiterate", "reiterates", "reiterated", "reiterating"},
	{"maintain", "maintains", "maintained", "maintaining"},
	{"refer", "refers", "referred", "referring"},
	{"quip", "quips", "quipped", "quipping"},
	{"declare", "declares", "declared", "declaring"},
	{"call", "calls", "called", "calling"},
	{"describe", "describes", "described", "describing"},
	{"label", "labels", "labelled", "labelling"},
	{"brand", "brands", "branded", "branding"},
	{"dismiss", "dismisses", "dismissed", "dismissing"},
	{"criticize", "criticizes", "criticized", "criticizing"},
	{"criticise", "criticises", "criticised", "criticising"},
	{"hail", "hails", "hailed", "hailing"},
	{"condemn", "condemns", "condemned", "condemning"},
	{"conclude", "concludes", "concluded", "concluding"},
	{"elaborate", "elaborates", "elaborated", "elaborating"},
	{"recommend", "recommends", "recommended", "recommending"},
	{"counter", "counters", "countered", "countering"},
	{"retort", "retorts", "retorted", "retorting"},
	{"interject", "interjects", "interjected", "interjecting"},
	{"threaten", "threatens", "threatened", "threatening"},
}

func init() {
	for _, v := range cueVerbs {
		c := cCue
		switch v.base {
		case "call", "describe", "label", "brand":
			c |= cCall
		case "declare":
			c = cCueAdj
		}
		for _, w := range []string{v.base, v.s, v.past} {
			if w != "" {
				lexicon[w] |= c
			}
		}
		if v.ing != "" {
			lexicon[v.ing] |= cCueIng
			if c&cCall != 0 {
				lexicon[v.ing] |= cCall
			}
		}
	}
	// "according to" is handled as a phrase; "according" alone is marked here.
	lexicon["according"] |= cCueIng
	lexicon["characterised"] |= cCall
	lexicon["characterized"] |= cCall

	addWords(cNaming, `called named nicknamed dubbed titled entitled word words term terms phrase
		phrases slogan slogans hashtag motto banner banners sign signs so-called label labelled labeled
		headline headlined name known codenamed code-named using`)

	addWords(cPrep, `of to for with by from at on in into onto about against after before during
		under over between among amongst via through toward towards following including near like
		than upon within without behind beside besides around across despite per throughout until along
		since amid alongside beyond as inside outside regarding concerning except`)

	addWords(cDet, `the a an this that these those his her their its our my your another one some
		several many two three four five six seven eight nine ten both each every any no`)

	addWords(cTitle, `president vice prime minister secretary mayor judge justice prosecutor mp mep
		senator sen. sen rep. rep representative representatives governor gov. gov chancellor director
		chairman chairwoman chairperson chair dr. dr mr. mr mrs. mrs ms. ms miss mx. sir dame lord lady
		professor prof. prof chief general gen. gen captain capt. colonel col. lieutenant lt. sergeant
		sgt. officer detective det. inspector insp. constable pc sheriff commissioner superintendent
		supt. coach bishop archbishop cardinal pope rev. reverend rabbi imam king queen prince princess
		crown emperor empress speaker leader premier ambassador envoy attorney counsel legislator
		congressman congresswoman councillor councilman councilwoman councilor broadcaster journalist
		reporter actor actress singer author writer spokesman spokeswoman spokesperson deputy assistant
		acting former ex ex- interim first health foreign defence defense finance education interior
		home information state federal national senior junior minority majority whip member
		presenter commander admiral marshal principal dean provost treasurer ceo cfo coo cto founder
		co-founder chairmans executive managing manager head editor editor-in-chief anchor host
		sister brother father mother uncle aunt cousin son daughter husband wife widow widower
		fiancee fiancée fiancé boyfriend girlfriend partner grandmother grandfather
		director-general secretary-general attorney-general auditor-general inspector-general
		solicitor barrister advocate lawyer economist scientist researcher analyst historian
		physician surgeon doctor nurse teacher student protester activist campaigner candidate
		striker midfielder defender goalkeeper forward player champion athlete runner swimmer boxer
		driver rider skipper manager pilot astronaut artist musician rapper comedian filmmaker
		director producer photographer novelist poet playwright architect engineer entrepreneur
		businessman businesswoman billionaire tycoon magnate chef owner resident witness eyewitness
		survivor victim neighbour neighbor friend colleague aide adviser advisor consultant
		pastor priest monk nun cleric sheikh ayatollah chieftain elder
		ombudsman regulator commentator pundit blogger youtuber influencer
		ex-president ex-prime ex-minister ex-mayor ex-governor assemblyman assemblywoman assemblymember councilmember alderman selectman democrat democratic republican conservative labour liberal socialist independent administrator coordinator curator organiser organizer supervisor warden registrar adviser advisor lead co-author coauthor emeritus honorable honourable hon.
		fellow columnist sportswriter meteorologist biologist ecologist astronomer physicist chemist`)

	addWords(cRole, `spokesman spokeswoman spokesperson spokespeople official officials officer
		officers minister lawyer lawyers attorney attorneys victim victims witness witnesses
		eyewitness eyewitnesses resident residents head chief director president commissioner
		father mother son daughter wife husband brother sister friend friends neighbour neighbor
		neighbours neighbors man woman men women boy girl boys girls student students teacher
		teachers doctor doctors nurse nurses protester protesters protestor demonstrator
		demonstrators source sources expert experts analyst analysts researcher researchers
		scientist scientists professor judge judges prosecutor prosecutors mayor governor senator
		leader leaders member members manager owner worker workers employee employees survivor
		survivors passenger passengers driver pilot soldier soldiers writer author representative
		representatives activist activists campaigner campaigners fan fans player players coach
		chairman chairwoman secretary ambassador envoy diplomat diplomats rapporteur investigator
		investigators detective inspector paramedic paramedics firefighter firefighters
		legislator legislators lawmaker lawmakers politician politicians candidate voter voters
		parent parents mom dad relative relatives uncle aunt cousin widow widower fiancee fiancée
		fiancé boyfriend girlfriend partner journalist journalists reporter reporters
		correspondent editor editors economist economists historian physician surgeon
		organizer organiser organizers organisers founder chef shopkeeper farmer farmers
		priest pastor bishop imam rabbi monk cleric citizen citizens local locals
		onlooker onlookers bystander bystanders writer user users poster blogger
		defendant defendants suspect suspects accused prisoner prisoners inmate inmates
		attacker gunman assailant councillor councilor mp mps adviser advisor advisers advisors
		aide aides consultant staffer staff agent agents guard guards captain commander
		general colonel sergeant constable sheriff deputy premier president-elect minister-designate
		person people someone somebody individual individuals child children teenager teenagers
		youth mother-in-law father-in-law grandmother grandfather granddaughter grandson
		actor actress singer musician artist athlete runner champion coach manager
		commentator presenter host anchor expert scholar academic academics lecturer
		student pupil pupils graduate mourner mourners supporter supporters critic critics
		opponent opponents colleague colleagues co-worker coworker observer observers
		doctor-in-charge undergraduate rival rivals successor predecessor ally allies counterpart boss co-author co-authors coauthor author authors family families household whistleblower insider insiders veteran veterans chancellor`)

	addWords(cPlural, `officials officers victims witnesses eyewitnesses residents friends neighbours
		neighbors men women boys girls students teachers doctors nurses protesters demonstrators
		sources experts analysts researchers scientists judges prosecutors leaders members workers
		employees survivors passengers soldiers representatives activists campaigners fans players
		diplomats investigators paramedics firefighters legislators lawmakers politicians voters
		parents relatives journalists reporters editors economists organizers organisers farmers
		citizens locals onlookers bystanders users defendants suspects prisoners inmates mps
		advisers advisors aides agents guards people individuals children teenagers pupils
		mourners supporters critics opponents colleagues observers insiders veterans academics
		spokespeople lawyers attorneys authorities officials`)

	addWords(cOrgNoun, `ministry court company government council agency department committee
		university party club team board firm group organisation organization commission police
		authority authorities military army navy force forces office bureau administration
		institute foundation union association coalition charity campaign network newspaper
		broadcaster channel station bank regulator tribunal parliament senate congress cabinet
		embassy consulate service hospital school college airline carrier manufacturer maker
		operator prosecution magazine publisher federation league church mission
		palace kremlin secretariat inquiry panel jury`)

	addWords(cOrg, `company co. co corp. corp corporation inc. inc ltd. ltd llc plc group council
		police ministry department court committee commission agency authority office bureau
		administration university college school institute institution foundation association
		society union coalition alliance federation league party parliament congress senate
		assembly government cabinet army navy force forces guard church hospital bank fund
		airlines airline airways railways club team network news times post journal herald
		tribune telegraph guardian gazette broadcasting television radio tv press media agency
		reuters international organisation organization board service services trust partners
		holdings industries motors labs laboratories systems technologies enterprises
		commissioner's centre center secretariat tribunal embassy consulate chamber council's
		nations charity watch rights command act clause amendment constitution treaty convention
		accord charter entertainment studios studio pictures records productions`)

	addWords(cStop, `the a an in on at for after before during this that these those he she it they
		we i his her their its our my but and or so if when while although though as since because
		according speaking some many several both each every other another also however meanwhile
		today yesterday tomorrow there here what who why how where which whose not no yes all most
		more less few one two three four five six seven eight nine ten first second third last next
		former ex later earlier then now still even only just despite following under over from to
		with by of about into between among until unlike like by photo image video source
		reportedly oh ah hey wow yeah okay ok hello hi thanks sorry`)

	addWords(cTime, `monday tuesday wednesday thursday friday saturday sunday january february march
		april may june july august september october november december jan. feb. mar. apr. jun.
		jul. aug. sep. sept. oct. nov. dec. christmas easter eve`)

	addWords(cSkip, `also further once later then previously has have had was is were are would will
		again recently just repeatedly reportedly earlier both yesterday today tonight subsequently
		publicly separately simply initially first last finally immediately quickly bluntly
		famously angrily flatly openly privately formally officially specifically did does do
		not never always often had've has've may might could should must can already afterwards
		afterward too himself herself itself themselves reportedly allegedly apparently
		similarly likewise meanwhile however though still even only shortly soon once`)

	addWords(cPronHe, `he`)
	addWords(cPronShe, `she`)
	addWords(cPronIt, `it`)
	addWords(cPronThey, `they`)
	addWords(cPronI, `i we`)

	addWords(cMale, `mr. mr sir lord king prince emperor duke earl baron father son brother husband
		uncle nephew grandfather grandson widower boyfriend fiancé spokesman chairman congressman
		councilman businessman sportsman actor monk he his him himself man boy gentleman
		father-in-law son-in-law brother-in-law stepfather stepson dad pope`)
	addWords(cFemale, `mrs. mrs ms. ms miss dame lady queen princess empress duchess countess
		baroness mother daughter sister wife aunt niece grandmother granddaughter widow girlfriend
		fiancée fiancee spokeswoman chairwoman congresswoman councilwoman businesswoman
		sportswoman actress nun she her herself woman girl mother-in-law daughter-in-law
		sister-in-law stepmother stepdaughter mom mum`)

	addWords(cConnector, `bin bint ibn al al- el van von de der den del della di da dos das du la le
		ter ten y abu ben mac st. zu`)
	addWords(cSuffix, `jr. jr sr. sr ii iii iv`)
	addWords(cPostNominal, `qc kc mp mep msp ms phd md obe mbe cbe kbe dbe frs esq. esq bt rn`)
	addWords(cPlace, `united states kingdom republic north south east west northern southern
		eastern western new city county province island islands union federation emirates
		territory region district coast street road lane avenue square bridge river mountain
		mount lake valley park airport station hall ground grounds stadium arena central upper lower greater saint san santa
		los las port fort cape gulf sea ocean bay war wars week games olympics cup festival
		championship championships summit conference expo convention election elections revolution
		award awards prize museum`)

	addWords(cDoc, `summary report reports statement statements filing filings document documents
		facts fact ruling judgment judgement verdict decision study studies survey letter
		proclamation order law bill constitution website site data figures record records
		analysis paper research investigation findings memo email emails release transcript
		indictment complaint lawsuit petition affidavit testimony minutes poll polls
		estimates estimate sign signs banner article articles post posts tweet tweets book
		account accounts evidence footage warning warnings notice notices announcement
		message messages`)

	addWords(cRel, `who which whose whom that`)

	addWords(cAbbrev, `dr. mr. mrs. ms. mx. st. jr. sr. gen. lt. sgt. rep. sen. gov. prof. inc.
		ltd. co. corp. no. vs. mt. ft. col. capt. rev. fr. det. insp. supt. cmdr. adm. maj. cpl.
		pvt. hon. esq. u.s. u.k. u.n. e.u. e.g. i.e. a.m. p.m. etc. jan. feb. mar. apr. jun. jul.
		aug. sep. sept. oct. nov. dec. approx. dept. univ. assn. bros. messrs.`)

	addWords(cVerbish, `met named killed shot hired fired appointed elected replaced defeated
		attacked arrested charged sentenced convicted interviewed visited joined married divorced
		thanked beat beats stabbed helped saved rescued sued invited nominated endorsed supported
		succeeded ousted dismissed sacked praised blamed criticized criticised accused
		congratulated questioned urged asked told informed contacted honoured honored buried
		survived followed succeeded hit injured murdered`)
	fillKeys()
}

// lowerKey returns the lower-case form of w if the lexicon holds it.
func lowerKey(w string) (string, bool) {
	var buf [48]byte
	if len(w) > len(buf) {
		return "", false
	}
	b := buf[:0]
	for i := 0; i < len(w); i++ {
		ch := w[i]
		if ch >= 0x80 {
			return "", false
		}
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		b = append(b, ch)
	}
	k, ok := lexKey[string(b)]
	return k, ok
}

// classOf returns the classes of a word, matching case-insensitively. The
// possessive ending ('s) is ignored.
func classOf(w string) wclass {
	if c, ok := lexicon[w]; ok {
		return c
	}
	var buf [48]byte
	if len(w) > len(buf) {
		return 0
	}
	b := buf[:0]
	ascii := true
	for i := 0; i < len(w); i++ {
		ch := w[i]
		if ch >= 0x80 {
			ascii = false
			break
		}
		if 'A' <= ch && ch <= 'Z' {
			ch += 'a' - 'A'
		}
		b = append(b, ch)
	}
	if !ascii {
		return lexicon[strings.ToLower(w)]
	}
	return lexicon[string(b)]
}
