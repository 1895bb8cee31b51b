package quotes

import "testing"

// TestExtractGeneralises holds the constructions of issue 21's error
// categories, in sentences written for the test: names kept whole and clean,
// speakers across sentence and paragraph breaks, the speaker rather than the
// person spoken about, and names that are not people.
func TestExtractGeneralises(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []wantQuote
	}{
		{
			name: "middle initials are kept",
			text: `Harbour master Pieter J. Vogel said "The tide caught everyone off guard."`,
			want: []wantQuote{{"The tide caught everyone off guard.", "Pieter J. Vogel", KindPerson, 0}},
		},
		{
			name: "the fullest form of a name the article uses",
			text: "Harbour master Pieter J. Vogel opened the lock.\n\n\"The tide caught everyone off guard,\" said Pieter Vogel.\n\nMara Lind spoke next. \"We were lucky,\" said Mara K. Lind.",
			want: []wantQuote{
				{"The tide caught everyone off guard,", "Pieter J. Vogel", KindPerson, 0},
				{"We were lucky,", "Mara K. Lind", KindPerson, 1},
			},
		},
		{
			name: "an initial written with a look-alike dot",
			text: "The tool is kept by Sergey M\u2024, one of its maintainers.\n\nSergey said \"we will not take it down.\"",
			want: []wantQuote{{"we will not take it down.", "Sergey M\u2024", KindPerson, 0}},
		},
		{
			name: "two middle names are two people",
			text: "Leila A. Naidoo and Jonah Naidoo spoke.\n\n\"We were first in the queue,\" said Leila B. Naidoo.",
			want: []wantQuote{{"We were first in the queue,", "Leila B. Naidoo", KindPerson, 0}},
		},
		{
			name: "a name written without its diacritics is the same person",
			text: "Mayor Alma Türkoğlu opened the bridge.\n\n\"It is a good day for the town,\" Turkoglu said.",
			want: []wantQuote{{"It is a good day for the town,", "Alma Türkoğlu", KindPerson, 0}},
		},
		{
			name: "a sentence adverb is not a speaker",
			text: `Specifically, "the pumps were never serviced," the report found.`,
			want: []wantQuote{{"the pumps were never serviced,", "", KindUnknown, 0}},
		},
		{
			name: "a title followed by from and a place",
			text: `Senator from Ohio Mara Lindqvist said "We will not vote for this budget."`,
			want: []wantQuote{{"We will not vote for this budget.", "Mara Lindqvist", KindPerson, 0}},
		},
		{
			name: "an event is not a speaker",
			text: "Tomas Reyes spoke at the opening of Harvest Week, an annual fair.\n\n\"We lost everything in the flood,\" he said.",
			want: []wantQuote{{"We lost everything in the flood,", "Tomas Reyes", KindPerson, 0}},
		},
		{
			name: "a noun opening the sentence after a quotation is not a speaker",
			text: "Mayor Alma Torres said, \"The bridge will open in May.\"  Criticism from the opposition led Torres to add \"We will not be rushed.\"",
			want: []wantQuote{
				{"The bridge will open in May.", "Alma Torres", KindPerson, 0},
				{"We will not be rushed.", "Alma Torres", KindPerson, 1},
			},
		},
		{
			name: "a lone name after an article is not a person",
			text: "Mayor Tomas Reyes opened the harbour on Monday. Next, The Courier claimed the harbour was \"broke beyond repair.\"\n\nHe argued that \"the harbour is in good hands.\"",
			want: []wantQuote{
				{"broke beyond repair.", "Courier", KindOrganisation, 0},
				{"the harbour is in good hands.", "Tomas Reyes", KindPerson, 1},
			},
		},
		{
			name: "a name whose possessive follows in is not a place",
			text: "Nadia Osei was left off the ticket. Tomas Reyes stands in Osei's usual place.\n\nOsei sent a message to the party:\n\n\"Please let Tomas know that I will not run.\"",
			want: []wantQuote{{"Please let Tomas know that I will not run.", "Nadia Osei", KindPerson, 0}},
		},
		{
			name: "according to opening the next sentence is not the quotation's source",
			text: `Harbour master Pieter Vogel said the report was "not part of any plan." According to the Courier, officials warned that Mayor Alma Torres had read it.`,
			want: []wantQuote{{"not part of any plan.", "Pieter Vogel", KindPerson, 0}},
		},
		{
			name: "words the subject used of something, after describing it as",
			text: `Mayor Alma Torres described the harbour plan as a "Costly Fantasy." The council had called it "urgent".`,
			want: []wantQuote{{"Costly Fantasy.", "Alma Torres", KindPerson, 0}, {"urgent", "", KindOrganisation, 1}},
		},
		{
			name: "a name something is referred to as is not a quotation",
			text: `The old ferry, often referred to as "The Grey Lady", sailed for the last time.`,
			want: nil,
		},
		{
			name: "it's and I are not names",
			text: "Nadia Osei had run the ferry for years.\n\nIt's too easy for people to say \"the ferry is late.\" Had I said \"we are closing\", nobody would have come.",
			want: []wantQuote{{"the ferry is late.", "", KindUnknown, 0}, {"we are closing", "", KindUnknown, 1}},
		},
		{
			name: "a document's owner named after the phrase naming it",
			text: `In the letter to the council, harbour master Pieter Vogel said "The pier is unsafe."  The letter stressed "the repairs cannot wait".`,
			want: []wantQuote{{"The pier is unsafe.", "Pieter Vogel", KindPerson, 0}, {"the repairs cannot wait", "Pieter Vogel", KindPerson, 1}},
		},
		{
			name: "a cue joined by and then to the sentence's first verb",
			text: `Professor Nadia Osei of the harbour board asked whether the pier was safe and then declared "that's the whole survey."`,
			want: []wantQuote{{"that's the whole survey.", "Nadia Osei", KindPerson, 0}},
		},
		{
			name: "her after another person in the sentence says nothing of the subject's gender",
			text: "A woman, a niece of Mara Lind, claimed Tomas Reyes commented on her looks.\n\nSenator Alma Torres was mentioned. Reyes said he would reply. Later, he told reporters \"I never met her.\"",
			want: []wantQuote{{"I never met her.", "Tomas Reyes", KindPerson, 0}},
		},
		{
			name: "a cue opening the sentence before the speaker",
			text: `The tide rose quickly. Remarked harbour master Pieter Vogel, "This is a warning from nature." Said Mara Lind: "We were lucky."`,
			want: []wantQuote{{"This is a warning from nature.", "Pieter Vogel", KindPerson, 0}, {"We were lucky.", "Mara Lind", KindPerson, 1}},
		},
		{
			name: "according to an unnamed source after the quote",
			text: `Mayor Alma Torres was taken to hospital. Torres suffered "two deep wounds" in the attack according to a hospital spokesperson.`,
			want: []wantQuote{{"two deep wounds", "", KindUnknown, 0}},
		},
		{
			name: "a holiday is not a speaker",
			text: "The singer died on Christmas Eve, his family said.\n\nThe family's statement read: \"He loved his audience and they loved him.\"",
			want: []wantQuote{{"He loved his audience and they loved him.", "", KindUnknown, 0}},
		},
		{
			name: "who after an apposition refers to the person named before it",
			text: `The survey was led by Ines Marlow, an ecologist at the Coastal Institute, who said "The reef is recovering faster than we hoped."`,
			want: []wantQuote{{"The reef is recovering faster than we hoped.", "Ines Marlow", KindPerson, 0}},
		},
		{
			name: "according to a tweet by a person, after the quote",
			text: `"The airline carries weapons," according to a tweet on Monday by Foreign Minister Jan Ostrowski.`,
			want: []wantQuote{{"The airline carries weapons,", "Jan Ostrowski", KindPerson, 0}},
		},
		{
			name: "the agent of a passive cue speaks",
			text: `Lena Park has been described by her coach Maria Solberg as "the hardest worker in the squad".`,
			want: []wantQuote{{"the hardest worker in the squad", "Maria Solberg", KindPerson, 0}},
		},
		{
			name: "two participle clauses, each with its own subject",
			text: `Members attacked the plan, with Ada Brown of Kent calling it "reckless and unfunded" and Olu Bello of Devon calling the vote "a blatant attempt to silence the towns".`,
			want: []wantQuote{
				{"reckless and unfunded", "Ada Brown", KindPerson, 0},
				{"a blatant attempt to silence the towns", "Olu Bello", KindPerson, 1},
			},
		},
		{
			name: "a split quotation around a speaker with an affiliation and its acronym",
			text: `"The ice is thinning from below," said co-author Ted Varga of the Institute for Polar Studies (IPS). "In a few decades the shelf is gone."`,
			want: []wantQuote{
				{"The ice is thinning from below,", "Ted Varga", KindPerson, 0},
				{"In a few decades the shelf is gone.", "Ted Varga", KindPerson, 0},
			},
		},
		{
			name: "a quoted sentence with no cue continues the person the sentence before is about",
			text: `Actress Nora Quint left the series after one season. "This is not what I became an actor for."`,
			want: []wantQuote{{"This is not what I became an actor for.", "Nora Quint", KindPerson, 0}},
		},
		{
			name: "a word shaped like an occupation is a title, not a first name",
			text: `Volcanologist Pia Lund said "The crater floor has risen by a metre."`,
			want: []wantQuote{{"The crater floor has risen by a metre.", "Pia Lund", KindPerson, 0}},
		},
		{
			name: "a fellow of an institution",
			text: `"The birds leave a week earlier each year," said Royal Society Research Fellow Omar Haddad.`,
			want: []wantQuote{{"The birds leave a week earlier each year,", "Omar Haddad", KindPerson, 0}},
		},
		{
			name: "an ambassador to a country",
			text: `Ambassador to Norway Tom Vance said the fleet had "broken every rule of the treaty".`,
			want: []wantQuote{{"broken every rule of the treaty", "Tom Vance", KindPerson, 0}},
		},
		{
			name: "the subject of a cue inside a relative clause",
			text: `The law would send suspects to the mainland and its courts, which the Harbour Gazette describes as "closed to the public and the press."`,
			want: []wantQuote{{"closed to the public and the press.", "Harbour Gazette", KindOrganisation, 0}},
		},
		{
			name: "a coordinated predicate shares the subject of the sentence",
			text: `The Harbour Council announced that tests by a laboratory found Zorvex in the water, and said there was "no doubt at all" about the source.`,
			want: []wantQuote{{"no doubt at all", "Harbour Council", KindOrganisation, 0}},
		},
		{
			name: "a noun phrase right before the cue is its subject, though a verb precedes it",
			text: `The Ledger reported its source said "two men" had been arrested at the port.`,
			want: []wantQuote{{"two men", "", KindUnknown, 0}},
		},
		{
			name: "a named source calls it so",
			text: `The plan met with what Mara Lind called "fury" from the shopkeepers of the old town.`,
			want: []wantQuote{{"fury", "Mara Lind", KindPerson, 0}},
		},
		{
			name: "a name given in the passive is not a quotation",
			text: `People born on the islands are not citizens. Instead, they are called "island nationals" on their passports.`,
			want: nil,
		},
		{
			name: "names of works and events in a reported sentence are not quotations",
			text: `Organisers said the "Walk for Life" event raised $40,000. Sam Ode said his new book, "The Long Road Home", would be out in May.`,
			want: nil,
		},
		{
			name: "words quoted to name a remark or a post are not a quotation of it",
			text: `Critics attacked Mayor Dan Holt for the alleged "lazy" and "useless" comment reported by the Ledger. Then Tia Brook posted a report about Holt's "flood-proof" tweet as the top story.`,
			want: nil,
		},
		{
			name: "a question in title case is asked, not named",
			text: `During the campaign, Ken Marsh responded to a reporter's question about the port of Oslo with "What is Oslo?"`,
			want: []wantQuote{{"What is Oslo?", "Ken Marsh", KindPerson, 0}},
		},
		{
			name: "a speaker's word for themselves after a reflexive",
			text: `At the rally in Lisburn, Mayor Dan Holt declared himself "unbeatable" and shook hands with the crowd. Rival Tia Brook professed herself "deeply worried" about the port and endorsed using "jobs", "homes", and "health" as the measure of success.`,
			want: []wantQuote{
				{"unbeatable", "Dan Holt", KindPerson, 0},
				{"deeply worried", "Tia Brook", KindPerson, 1},
			},
		},
		{
			name: "a few quoted words ending in a noun for a scheme name it",
			text: `The council is working on some "low-cost housing programs" for families. Mayor Dan Holt said he would review the "harbour safety plan" next year.`,
			want: nil,
		},
		{
			name: "a saying is no one's words",
			text: `Coach Ana Ruiz said the team would keep trying. It is like the saying "Practice makes perfect". The season opens in May.`,
			want: nil,
		},
		{
			name: "text a page displays or a writing bears is not said",
			text: `The port's website was taken down on Monday and still displays "Page unavailable due to maintenance works". On the old gate, the writing says "Enter at your own risk."`,
			want: nil,
		},
		{
			name: "but writing before a quote is what someone wrote",
			text: `Harbour chief Chris Wren posted an update on Monday, writing "The future of the port is the new dock."`,
			want: []wantQuote{{"The future of the port is the new dock.", "Chris Wren", KindPerson, 0}},
		},
		{
			name: "a sign named after another act joined by and is not what the words were written on",
			text: `Members of the council protested by shouting "shame on you!" and holding signs during the vote.`,
			want: []wantQuote{{"shame on you!", "", KindOrganisation, 0}},
		},
		{
			name: "an adjective made of a name and a hyphen is no title",
			text: `Members objected to the inquiry, with Ken Marsh of Ohio calling the investigation into the port "Soviet-style" and Ada Bloom of Iowa calling the process unfair.`,
			want: []wantQuote{{"Soviet-style", "Ken Marsh", KindPerson, 0}},
		},
		{
			name: "a source named by according to a few words after the quote",
			text: `The minister suffered "two deep wounds" in the attack according to a hospital spokesperson.`,
			want: []wantQuote{{"two deep wounds", "", KindUnknown, 0}},
		},
		{
			name: "a pronoun repeated in its sentence keeps its referent",
			text: "Minister Ivan Petrenko filed his resignation. He said Olek Marchuk is \"a model of honesty for me\"; however, \"to remove any doubts I wrote a resignation\", he added.",
			want: []wantQuote{
				{"a model of honesty for me", "Ivan Petrenko", KindPerson, 0},
				{"to remove any doubts I wrote a resignation", "Ivan Petrenko", KindPerson, 1},
			},
		},
		{
			name: "a ship is never a speaker",
			text: "Port official Rudi Hartono spoke to the radio. He said fishing boats should look out for MV Kerta Dawn. He added the crew \"are still missing, so please do not speculate\".",
			want: []wantQuote{{"are still missing, so please do not speculate", "Rudi Hartono", KindPerson, 0}},
		},
		{
			name: "a common noun opening a sentence is not a name",
			text: "Investigations have been opened by the Harbour Authority and the Coast Board, with the latter confirming they were \"not sending divers to the wreck at this time.\"",
			want: []wantQuote{{"not sending divers to the wreck at this time.", "Coast Board", KindOrganisation, 0}},
		},
		{
			name: "the former is the first of the two named before",
			text: "Talks were held by Mara Olsen and Piet de Wit, with the former saying the deal was \"not yet ready to sign.\"",
			want: []wantQuote{{"not yet ready to sign.", "Mara Olsen", KindPerson, 0}},
		},
		{
			name: "the former before a role noun is part of the role",
			text: "Mara Olsen met the former minister, Piet de Wit. \"We agreed on nothing,\" Olsen said.",
			want: []wantQuote{{"We agreed on nothing,", "Mara Olsen", KindPerson, 0}},
		},
		{
			name: "a thought is not a quotation",
			text: "Everyone had different demands. So I thought: \"No, I should not do it for free.\"",
			want: nil,
		},
		{
			name: "the statement an earlier sentence gave is its author's",
			text: "Acme Corp said in a statement on Tuesday that it would appeal.\n\n\"We regret the decision and will appeal,\" the statement read.",
			want: []wantQuote{{"We regret the decision and will appeal,", "Acme Corp", KindOrganisation, 0}},
		},
		{
			name: "a first name alone is the latest person of that first name",
			text: "Anna Berg spoke first.\n\nLater Anna Kowalski said \"We were lucky.\"\n\n\"It was close,\" Anna said.",
			want: []wantQuote{
				{"We were lucky.", "Anna Kowalski", KindPerson, 0},
				{"It was close,", "Anna Kowalski", KindPerson, 1},
			},
		},
		{
			name: "a ground is a place, never a speaker",
			text: "Mayor Ina Holt said the council would pay for the lights the Eastfield Ground needs.\n\n\"It has been a better year than it looked,\" she told the crowd.",
			want: []wantQuote{{"It has been a better year than it looked,", "Ina Holt", KindPerson, 0}},
		},
		{
			name: "a thing called a name",
			text: `She is credited with finding a pattern called a "glider" in the game.`,
			want: nil,
		},
		{
			name: "a count of things so named",
			text: `The survey also noted over 370 "jackal horns" seized in the same period.`,
			want: nil,
		},
		{
			name: "a capitalised preposition opening a sentence is not a speaker",
			text: `Within a day, the Border Guard arrested nine men, claiming they had planned "sabotage" at the dam.`,
			want: []wantQuote{{"sabotage", "Border Guard", KindOrganisation, 0}},
		},
		{
			name: "the whole title before its head noun",
			text: "Prime Minister Lida Marek called the meeting.\n\nAfter Minister of Economy Petr Holub failed to buy the kits, the Prime Minister apologised for \"having a fool as economy minister.\"",
			want: []wantQuote{{"having a fool as economy minister.", "Lida Marek", KindPerson, 0}},
		},
		{
			name: "a declaration after the quote",
			text: `Mugo Vale agreed to share power. "Only the voters who chose me will remove me," he declared.`,
			want: []wantQuote{{"Only the voters who chose me will remove me,", "Mugo Vale", KindPerson, 0}},
		},
		{
			name: "a person in a relative clause after a preposition is not what a pronoun refers to",
			text: `Refusing to give up power, Mugo Vale agreed to a deal in which Tobias Rand became prime minister. "Only the voters will remove me," he declared.`,
			want: []wantQuote{{"Only the voters will remove me,", "Mugo Vale", KindPerson, 0}},
		},
		{
			name: "a warning read out has no speaker",
			text: `Gusts of 80 mph were forecast for the coast. "Storm Lyra will produce high waves and coastal flooding," read the warning.`,
			want: []wantQuote{{"Storm Lyra will produce high waves and coastal flooding,", "", KindUnknown, 0}},
		},
		{
			name: "an unnamed source the cue names",
			text: `Inspector Hal Brody said the officers were present. The Ledger reported its source said "two gunmen" were killed that night.`,
			want: []wantQuote{{"two gunmen", "", KindUnknown, 0}},
		},
		{
			name: "a lone name its cue calls it is an organisation",
			text: `Bramlink said it had offered to meet the union "at any time" and accused it of "walking away" from talks.`,
			want: []wantQuote{
				{"at any time", "Bramlink", KindOrganisation, 0},
				{"walking away", "Bramlink", KindOrganisation, 1},
			},
		},
		{
			name: "a possessive inside an organisation's name",
			text: `St Aldric's Hospital said it was "urgently looking at" a staff minibus.`,
			want: []wantQuote{{"urgently looking at", "St Aldric's Hospital", KindOrganisation, 0}},
		},
		{
			name: "a statement from someone, introduced by a colon",
			text: `The palace issued the following statement from Queen Mirela: "She remains a member of the family and always will."`,
			want: []wantQuote{{"She remains a member of the family and always will.", "Mirela", KindPerson, 0}},
		},
		{
			name: "who after an apposition with adjectives",
			text: `The study was led by Oren Falk, a marine ecologist and Regents Professor at KTU, who said "The reefs can recover if we let them."`,
			want: []wantQuote{{"The reefs can recover if we let them.", "Oren Falk", KindPerson, 0}},
		},
		{
			name: "an attribution closing the sentence",
			text: `Prime Minister Eleni Vardas spoke of a court case. The border is the "main difference" between the two countries, she added.`,
			want: []wantQuote{{"main difference", "Eleni Vardas", KindPerson, 0}},
		},
		{
			name: "an apposition whose title opens with a body's name",
			text: `Mara Quill, the Republican Senate Majority Leader, committed to a trial. She said she expected "a largely partisan outcome" in the Senate.`,
			want: []wantQuote{{"a largely partisan outcome", "Mara Quill", KindPerson, 0}},
		},
		{
			name: "a phrase in a noun phrase with no cue",
			text: `The old sultan mediated in many disputes as a "friend to all and enemy to none" across the region.`,
			want: nil,
		},
		{
			name: "a quoted paragraph after a paragraph about a person",
			text: "Council leader Tom Haskett spoke to reporters on Tuesday about the flood.\n\n\"It will take years and a lot of money.\"",
			want: []wantQuote{{"It will take years and a lot of money.", "Tom Haskett", KindPerson, 0}},
		},
		{
			name: "a list of statements after a colon",
			text: "Engineer Sara Lind made three points in her report:\n\n\"First, the walls must be raised by a metre.\"\n\n\"Second, every house on the quay must be insured.\"",
			want: []wantQuote{
				{"First, the walls must be raised by a metre.", "Sara Lind", KindPerson, 0},
				{"Second, every house on the quay must be insured.", "Sara Lind", KindPerson, 1},
			},
		},
		{
			name: "the person named after 'said' speaks in the reported clause",
			text: `Police said the victim, Jane Dore, told them "I was attacked by two men near the bridge."`,
			want: []wantQuote{{"I was attacked by two men near the bridge.", "Jane Dore", KindPerson, 0}},
		},
		{
			name: "the subject of the cue, not the person spoken about",
			text: `Anna Smith, whose son Tom Jones was killed in the crash, said "we want justice for our boy."`,
			want: []wantQuote{{"we want justice for our boy.", "Anna Smith", KindPerson, 0}},
		},
		{
			name: "a lone capitalised word is a speaker only through a cue",
			text: "The song was sung in two languages.\n\n\"We sing for the river and for everyone who lives beside it\" Hindi language: the same words again.",
			want: []wantQuote{{"We sing for the river and for everyone who lives beside it", "", KindUnknown, 0}},
		},
		{
			name: "a pull quote credited on the paragraph after it",
			text: "The plans go before the council in the new year.\n\n\"We owe it to the next generation to get this right.\"\n\n— Rhys Teague\n\nTraders reported a quieter week.",
			want: []wantQuote{{"We owe it to the next generation to get this right.", "Rhys Teague", KindPerson, 0}},
		},
		{
			name: "words quoted in a clause a speech verb opens with that",
			text: `The court ruled that "the damage is done" and dismissed the appeal.`,
			want: []wantQuote{{"the damage is done", "", KindOrganisation, 0}},
		},
		{
			name: "words quoted before as X put it",
			text: `For four days, traffic "ground to a halt" — as the inspector's report put it — on the main road.`,
			want: []wantQuote{{"ground to a halt", "", KindUnknown, 0}},
		},
		{
			name: "per after a quotation names its source",
			text: `Videos with no age restriction, "offensive to some audiences" per YouTube, were removed.`,
			want: []wantQuote{{"offensive to some audiences", "YouTube", KindPerson, 0}},
		},
		{
			name: "reportedly before a quotation is a cue",
			text: `Seven riders died; the official cause of death reportedly was "blunt trauma."`,
			want: []wantQuote{{"blunt trauma.", "", KindUnknown, 0}},
		},
		{
			name: "according to a few words on, past a parenthesis",
			text: `The recorder was recovered "broken into two pieces" from under eight metres (about 25 feet) of mud, according to the navy.`,
			want: []wantQuote{{"broken into two pieces", "", KindOrganisation, 0}},
		},
		{
			name: "an organisation's name joined by for or on",
			text: "Nadia Rahal of the Centre for Coastal Studies said \"The water is rising.\"\n\nThe lanes will stay closed, according to the Council on Transport Safety, which called the bridge \"unsafe for any load.\"",
			want: []wantQuote{
				{"The water is rising.", "Nadia Rahal", KindPerson, 0},
				{"unsafe for any load.", "Council on Transport Safety", KindOrganisation, 1},
			},
		},
		{
			name: "a title with its field is not a name",
			text: `Omar Haddad, Chair In Maritime Law at Northfield University, said "The treaty is clear."`,
			want: []wantQuote{{"The treaty is clear.", "Omar Haddad", KindPerson, 0}},
		},
		{
			name: "an interjection is not a name",
			text: "Tomas Berg runs the ferry.\n\nOh, my sister was tired then. And I was always trying to, she said, \"boss people around\".",
			want: []wantQuote{{"boss people around", "", KindUnknown, 0}},
		},
		{
			name: "a person described by a relative clause past an apposition is the one a pronoun means",
			text: "\"We lost by a length,\" said Mara Quill, the captain.\n\nThe race was started by Tom Eddy, 88, the club's oldest member, who first rowed in 1951.\n\n\"The river is the same as it was,\" he said.\n\n\"We will row again in May,\" she said.",
			want: []wantQuote{
				{"We lost by a length,", "Mara Quill", KindPerson, 0},
				{"The river is the same as it was,", "Tom Eddy", KindPerson, 1},
				{"We will row again in May,", "Mara Quill", KindPerson, 2},
			},
		},
		{
			name: "a new role for the person just named is that person",
			text: `"The ice is thinning from below," said study author Rhea Vance. The Ashford professor added, "We did not expect it so soon."`,
			want: []wantQuote{
				{"The ice is thinning from below,", "Rhea Vance", KindPerson, 0},
				{"We did not expect it so soon.", "Rhea Vance", KindPerson, 1},
			},
		},
		{
			name: "a role the article used before is someone else",
			text: "Police arrested a suspect on Friday.\n\n\"He was calm,\" said detective Rhea Vance. The suspect told reporters, \"I did nothing wrong.\"",
			want: []wantQuote{
				{"He was calm,", "Rhea Vance", KindPerson, 0},
				{"I did nothing wrong.", "", KindUnknown, 1},
			},
		},
		{
			name: "text written on a thing is not a quotation",
			text: `Her last post was a photograph of her cat with "goodbye" written as the caption.`,
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkQuotes(t, tt.text, tt.want)
		})
	}
}

// checkQuotes extracts text's quotations and compares them with want.
func checkQuotes(t *testing.T, text string, want []wantQuote) {
	t.Helper()
	got := Extract(text)
	if len(got) != len(want) {
		t.Fatalf("got %d quotes, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Text != w.text || g.Speaker != w.speaker || g.Kind != w.kind || g.Group != w.group {
			t.Errorf("quote %d = {%q %q %s group %d}, want {%q %q %s group %d}",
				i, g.Text, g.Speaker, g.Kind, g.Group, w.text, w.speaker, w.kind, w.group)
		}
		if text[g.Start:g.End] != g.Text {
			t.Errorf("quote %d: text[%d:%d] = %q, Text = %q", i, g.Start, g.End, text[g.Start:g.End], g.Text)
		}
	}
}
