/**
 * @module examples/chameleon/data/questions
 * 48 ScienceQA-style multiple-choice questions (natural science, social science, language science; grades 2–8),
 * written for this example. Each names the one fact that decides it (`keyFact`), the tempting wrong choice
 * (`distractor`), whether the search corpus holds the fact (`searchable`, with the `keyTerm` a good query names), and
 * whether knowledge retrieval leaves the fact out without the right instruction (`hard`).
 *
 * Counts: 22 natural, 16 social, 10 language; 18 hard; 16 searchable (13 of them hard); 4 in the topic the planner
 * skips knowledge retrieval for ("word study").
 */
import type { SimulatedQuestion } from "../sim/simulated-world.js";

const NAT = "natural science";
const SOC = "social science";
const LAN = "language science";

/** The questions, in a fixed order. Key facts contain no double quotes (feedback quotes them). */
export const questions: readonly SimulatedQuestion[] = ([
  // ── natural science ────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "nat-01", subject: NAT, topic: "magnets", grade: 3,
    question: "Will these magnets attract or repel each other?",
    context: "Two bar magnets are placed so that the north pole of one magnet faces the north pole of the other.",
    choices: ["attract", "repel"], answer: 1, distractor: 0,
    keyFact: "Like magnetic poles repel each other, and opposite poles attract.",
    hard: true, searchable: true, keyTerm: "like magnetic poles repel",
  },
  {
    id: "nat-02", subject: NAT, topic: "matter", grade: 2,
    question: "Which of these is a gas?",
    choices: ["water vapor", "an ice cube", "apple juice"], answer: 0, distractor: 2,
    keyFact: "Water vapor is water in the gas state.",
  },
  {
    id: "nat-03", subject: NAT, topic: "animals", grade: 3,
    question: "Which animal is a mammal?",
    choices: ["bat", "penguin", "salmon"], answer: 0, distractor: 1,
    keyFact: "Bats are mammals: they have fur and feed their young milk.",
  },
  {
    id: "nat-04", subject: NAT, topic: "animals", grade: 4,
    question: "Select the reptile.",
    choices: ["gecko", "salamander", "toad"], answer: 0, distractor: 1,
    keyFact: "Geckos are reptiles with dry, scaly skin; salamanders and toads are amphibians.",
    hard: true, searchable: true, keyTerm: "gecko reptile",
  },
  {
    id: "nat-05", subject: NAT, topic: "energy", grade: 5,
    question: "Which object has more thermal energy?",
    context: "The objects are identical except for their temperatures.",
    choices: ["a 200-gram glass of water at 30°C", "a 200-gram glass of water at 15°C"], answer: 0, distractor: 1,
    keyFact: "When two objects are identical except for temperature, the hotter one has more thermal energy.",
  },
  {
    id: "nat-06", subject: NAT, topic: "space", grade: 4,
    question: "Which planet is closest to the Sun?",
    choices: ["Venus", "Mercury", "Earth"], answer: 1, distractor: 0,
    keyFact: "Mercury is the planet nearest to the Sun.",
    hard: true, searchable: true, keyTerm: "planet nearest the Sun",
  },
  {
    id: "nat-07", subject: NAT, topic: "matter", grade: 5,
    question: "Which change is a chemical change?",
    choices: ["burning a piece of paper", "cutting a piece of paper", "folding a piece of paper"], answer: 0, distractor: 1,
    keyFact: "Burning is a chemical change because it forms new substances such as ash and smoke.",
    hard: true,
  },
  {
    id: "nat-08", subject: NAT, topic: "electricity", grade: 4,
    question: "Which material is the best conductor of electricity?",
    choices: ["copper wire", "a plastic straw", "a glass marble"], answer: 0, distractor: 1,
    keyFact: "Metals such as copper let electric current flow through them easily.",
    searchable: true, keyTerm: "copper metal current flow",
  },
  {
    id: "nat-09", subject: NAT, topic: "plants", grade: 5,
    question: "What do plants need to make their own food through photosynthesis?",
    choices: ["sunlight, water, and carbon dioxide", "soil, sugar, and oxygen", "moonlight and nitrogen"], answer: 0, distractor: 1,
    keyFact: "In photosynthesis, plants use sunlight, water, and carbon dioxide to make sugar and release oxygen.",
  },
  {
    id: "nat-10", subject: NAT, topic: "rocks", grade: 4,
    question: "Which type of rock forms when lava cools and hardens?",
    choices: ["sedimentary", "igneous", "metamorphic"], answer: 1, distractor: 0,
    keyFact: "Igneous rock forms when melted rock, such as lava or magma, cools and becomes solid.",
    hard: true, searchable: true, keyTerm: "igneous melted lava magma",
  },
  {
    id: "nat-11", subject: NAT, topic: "weather and climate", grade: 3,
    question: "Does this passage describe the weather or the climate?",
    context: "Last Tuesday afternoon in Denver, it was windy and it rained for two hours.",
    choices: ["weather", "climate"], answer: 0, distractor: 1,
    keyFact: "Weather is the condition of the atmosphere at a certain place and time; climate is the pattern of weather over many years.",
    hard: true,
  },
  {
    id: "nat-12", subject: NAT, topic: "forces", grade: 2,
    question: "What is the direction of this push?",
    context: "A girl pushes a sled away from her.",
    choices: ["away from the girl", "toward the girl"], answer: 0, distractor: 1,
    keyFact: "A push is a force that moves an object away from the one doing the pushing.",
  },
  {
    id: "nat-13", subject: NAT, topic: "plants", grade: 2,
    question: "Which part of a plant takes in water and nutrients from the soil?",
    choices: ["the roots", "the leaves", "the flowers"], answer: 0, distractor: 1,
    keyFact: "Roots absorb water and nutrients for the whole plant.",
  },
  {
    id: "nat-14", subject: NAT, topic: "heredity", grade: 6,
    question: "Which is a trait that a dog learns rather than inherits?",
    choices: ["fetching a ball on command", "having brown fur", "having floppy ears"], answer: 0, distractor: 1,
    keyFact: "Acquired traits, such as tricks an animal is taught, are learned during its life and are not inherited.",
  },
  {
    id: "nat-15", subject: NAT, topic: "matter", grade: 2,
    question: "Which is a solid?",
    choices: ["a wooden ruler", "milk", "the air inside a balloon"], answer: 0, distractor: 1,
    keyFact: "A solid has its own definite shape and volume, like a wooden ruler.",
  },
  {
    id: "nat-16", subject: NAT, topic: "matter", grade: 7,
    question: "Is table salt an elementary substance or a compound?",
    choices: ["a compound", "an elementary substance"], answer: 0, distractor: 1,
    keyFact: "Table salt is sodium chloride, which is made of two chemical elements bonded together, sodium and chlorine.",
    hard: true, searchable: true, keyTerm: "sodium chloride elements",
  },
  {
    id: "nat-17", subject: NAT, topic: "space", grade: 3,
    question: "What causes day and night on Earth?",
    choices: ["Earth spinning on its axis", "Earth moving around the Sun", "the Moon blocking the Sun"], answer: 0, distractor: 1,
    keyFact: "Day and night are caused by Earth rotating on its axis once every 24 hours.",
    hard: true, searchable: true, keyTerm: "Earth rotating axis 24 hours",
  },
  {
    id: "nat-18", subject: NAT, topic: "ecosystems", grade: 4,
    question: "In a food chain, what is a plant called?",
    choices: ["a producer", "a consumer", "a decomposer"], answer: 0, distractor: 1,
    keyFact: "Plants are producers because they make their own food from sunlight.",
  },
  {
    id: "nat-19", subject: NAT, topic: "matter", grade: 5,
    question: "What happens to the volume of water when it freezes into ice?",
    choices: ["It increases.", "It decreases.", "It stays exactly the same."], answer: 0, distractor: 1,
    keyFact: "Water expands as it turns into ice, so the ice takes up more space than the liquid water did.",
    hard: true, searchable: true, keyTerm: "water expands ice",
  },
  {
    id: "nat-20", subject: NAT, topic: "human body", grade: 5,
    question: "Which body system carries oxygen from the lungs to the rest of the body?",
    choices: ["the circulatory system", "the respiratory system", "the skeletal system"], answer: 0, distractor: 1,
    keyFact: "The circulatory system, made of the heart, blood, and blood vessels, delivers oxygen to every part of the body.",
  },
  {
    id: "nat-21", subject: NAT, topic: "natural resources", grade: 4,
    question: "Which of these is a renewable resource?",
    choices: ["wind", "coal", "natural gas"], answer: 0, distractor: 2,
    keyFact: "Wind is renewable because nature replaces it and it will not run out.",
  },
  {
    id: "nat-22", subject: NAT, topic: "space", grade: 3,
    question: "Why can we see the Moon at night?",
    choices: ["It reflects light from the Sun.", "It makes its own light.", "It glows from heat inside it."], answer: 0, distractor: 1,
    keyFact: "The Moon gives off no light of its own; sunlight bounces off its surface.",
  },
  // ── social science ─────────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "soc-01", subject: SOC, topic: "geography", grade: 4,
    question: "What is the capital of Montana?",
    choices: ["Helena", "Billings", "Missoula"], answer: 0, distractor: 1,
    keyFact: "Helena is the capital of Montana.",
    hard: true, searchable: true, keyTerm: "Montana capital",
  },
  {
    id: "soc-02", subject: SOC, topic: "geography", grade: 3,
    question: "Which ocean is the largest?",
    choices: ["the Atlantic Ocean", "the Pacific Ocean", "the Indian Ocean"], answer: 1, distractor: 0,
    keyFact: "The Pacific is the largest and deepest ocean on Earth.",
    searchable: true, keyTerm: "largest deepest ocean",
  },
  {
    id: "soc-03", subject: SOC, topic: "geography", grade: 4,
    question: "Which continent is Egypt in?",
    choices: ["Africa", "Asia", "Europe"], answer: 0, distractor: 1,
    keyFact: "Egypt is a country in the northeast corner of Africa.",
    hard: true, searchable: true, keyTerm: "Egypt northeast corner",
  },
  {
    id: "soc-04", subject: SOC, topic: "economics", grade: 3,
    question: "Is a haircut a good or a service?",
    choices: ["a good", "a service"], answer: 1, distractor: 0,
    keyFact: "A service is a job that someone does for you, such as cutting hair; a good is something you can touch.",
  },
  {
    id: "soc-05", subject: SOC, topic: "economics", grade: 6,
    question: "A freeze destroyed half of Florida's orange crop. What will probably happen to the price of oranges?",
    choices: ["The price will probably go up.", "The price will probably go down."], answer: 0, distractor: 1,
    keyFact: "When the supply of a good falls while demand stays the same, its price tends to rise.",
    hard: true,
  },
  {
    id: "soc-06", subject: SOC, topic: "civics", grade: 5,
    question: "How many senators does each U.S. state have?",
    choices: ["two", "one", "it depends on the state's population"], answer: 0, distractor: 2,
    keyFact: "Every U.S. state elects two senators, no matter how many people live there.",
    hard: true, searchable: true, keyTerm: "senators every state elects",
  },
  {
    id: "soc-07", subject: SOC, topic: "history", grade: 3,
    question: "Who was the first president of the United States?",
    choices: ["George Washington", "Thomas Jefferson", "Abraham Lincoln"], answer: 0, distractor: 1,
    keyFact: "George Washington was the first president of the United States, serving from 1789 to 1797.",
  },
  {
    id: "soc-08", subject: SOC, topic: "geography", grade: 4,
    question: "Which of these states is farthest north?",
    choices: ["Georgia", "Minnesota", "Arizona", "Louisiana"], answer: 1, distractor: 0,
    keyFact: "Minnesota borders Canada, so it lies farther north than Georgia, Arizona, and Louisiana.",
  },
  {
    id: "soc-09", subject: SOC, topic: "history", grade: 5,
    question: "Which document begins with the words 'We the People'?",
    choices: ["the U.S. Constitution", "the Declaration of Independence", "the Bill of Rights"], answer: 0, distractor: 1,
    keyFact: "The Preamble, the opening of the U.S. Constitution, starts with 'We the People'.",
    hard: true, searchable: true, keyTerm: "Preamble opening We the People",
  },
  {
    id: "soc-10", subject: SOC, topic: "civics", grade: 4,
    question: "Which branch of the U.S. government makes laws?",
    choices: ["the legislative branch", "the executive branch", "the judicial branch"], answer: 0, distractor: 1,
    keyFact: "The legislative branch, Congress, writes and passes the laws.",
  },
  {
    id: "soc-11", subject: SOC, topic: "geography", grade: 5,
    question: "What is the longest river in South America?",
    choices: ["the Amazon River", "the Orinoco River", "the Parana River"], answer: 0, distractor: 2,
    keyFact: "The Amazon is the longest river in South America.",
    searchable: true, keyTerm: "longest river South America",
  },
  {
    id: "soc-12", subject: SOC, topic: "economics", grade: 5,
    question: "Lena has $5. She buys a book instead of a movie ticket. What is the opportunity cost of buying the book?",
    choices: ["the movie ticket she gave up", "the book she bought", "the $5 she still has"], answer: 0, distractor: 1,
    keyFact: "An opportunity cost is what you give up when you make a decision.",
  },
  {
    id: "soc-13", subject: SOC, topic: "history", grade: 4,
    question: "Which ancient civilization built the pyramids at Giza?",
    choices: ["ancient Egypt", "ancient Rome", "ancient China"], answer: 0, distractor: 1,
    keyFact: "The pyramids at Giza were built by the ancient Egyptians as tombs for their kings.",
  },
  {
    id: "soc-14", subject: SOC, topic: "geography", grade: 6,
    question: "Which of these countries is landlocked?",
    choices: ["Switzerland", "Italy", "Spain"], answer: 0, distractor: 1,
    keyFact: "Switzerland has no coastline on any ocean or sea.",
    hard: true, searchable: true, keyTerm: "Switzerland coastline",
  },
  {
    id: "soc-15", subject: SOC, topic: "civics", grade: 5,
    question: "What is the minimum age to vote in U.S. federal elections?",
    choices: ["18", "16", "21"], answer: 0, distractor: 2,
    keyFact: "U.S. citizens can vote in federal elections starting at age 18.",
  },
  {
    id: "soc-16", subject: SOC, topic: "economics", grade: 3,
    question: "Which of these is a natural resource?",
    choices: ["timber from a forest", "a plastic chair", "a car factory"], answer: 0, distractor: 1,
    keyFact: "A natural resource is something from nature that people use, such as wood from trees.",
  },
  // ── language science ───────────────────────────────────────────────────────────────────────────────────────────
  {
    id: "lan-01", subject: LAN, topic: "word study", grade: 3,
    question: "Which word would you find on a dictionary page with the guide words 'lamp' and 'lock'?",
    choices: ["lid", "lunch"], answer: 0, distractor: 1,
    keyFact: "Guide words show the first and last words on a page, and 'lid' comes between 'lamp' and 'lock' in alphabetical order.",
  },
  {
    id: "lan-02", subject: LAN, topic: "word study", grade: 3,
    question: "Which word is a synonym of 'enormous'?",
    choices: ["huge", "tiny", "quiet"], answer: 0, distractor: 1,
    keyFact: "A synonym has the same meaning, and 'enormous' means very big, just like 'huge'.",
  },
  {
    id: "lan-03", subject: LAN, topic: "grammar", grade: 5,
    question: "Which is a compound sentence?",
    choices: ["The dog barked, and the cat ran up the tree.", "The dog and the cat ran around the yard."], answer: 0, distractor: 1,
    keyFact: "A compound sentence joins two independent clauses with a comma and a conjunction such as 'and'.",
    hard: true,
  },
  {
    id: "lan-04", subject: LAN, topic: "figurative language", grade: 4,
    question: "Which sentence uses a simile?",
    choices: ["Her smile was as bright as the sun.", "Her smile was the sun."], answer: 0, distractor: 1,
    keyFact: "A simile compares two things using 'like' or 'as'; a metaphor makes the comparison without them.",
    hard: true,
  },
  {
    id: "lan-05", subject: LAN, topic: "capitalization", grade: 2,
    question: "Which greeting is correct for a letter?",
    choices: ["Dear Aunt Maria,", "dear Aunt Maria,"], answer: 0, distractor: 1,
    keyFact: "The first word of a letter's greeting is capitalized, and the greeting ends with a comma.",
  },
  {
    id: "lan-06", subject: LAN, topic: "grammar", grade: 2,
    question: "Which word in the sentence is a verb?",
    context: "The children jump over the puddle.",
    choices: ["jump", "children", "puddle"], answer: 0, distractor: 1,
    keyFact: "A verb names an action, and in this sentence the action word is 'jump'.",
  },
  {
    id: "lan-07", subject: LAN, topic: "word study", grade: 4,
    question: "Which word has a prefix that means 'not'?",
    choices: ["unhappy", "replay", "preview"], answer: 0, distractor: 1,
    keyFact: "The prefix 'un-' means 'not', so 'unhappy' means 'not happy'.",
  },
  {
    id: "lan-08", subject: LAN, topic: "word study", grade: 3,
    question: "Which word would you find on a dictionary page with the guide words 'stone' and 'switch'?",
    choices: ["sugar", "salt"], answer: 0, distractor: 1,
    keyFact: "In alphabetical order 'sugar' falls between 'stone' and 'switch', because its second letter 'u' comes after 't' and before 'w'.",
  },
  {
    id: "lan-09", subject: LAN, topic: "figurative language", grade: 4,
    question: "What does the idiom 'a piece of cake' mean?",
    choices: ["something very easy", "a tasty dessert", "a small part of something"], answer: 0, distractor: 1,
    keyFact: "The idiom 'a piece of cake' means that a task is very easy to do.",
    hard: true, searchable: true, keyTerm: "idiom piece of cake",
  },
  {
    id: "lan-10", subject: LAN, topic: "grammar", grade: 3,
    question: "Which tense does the sentence use?",
    context: "Mia will paint the fence.",
    choices: ["future tense", "past tense", "present tense"], answer: 0, distractor: 2,
    keyFact: "The future tense uses 'will' before the verb to tell about something that is going to happen.",
  },
] satisfies SimulatedQuestion[]).map((q) => ({ ...q, hard: q.hard ?? false })); // explicit, not the world's hash default
