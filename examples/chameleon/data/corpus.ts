/**
 * @module examples/chameleon/data/corpus
 * The documents the search tool looks through: one document per searchable question holding its key fact
 * word for word, two "overview" pages per searchable topic (what a generic query finds), and near misses that
 * support the tempting wrong answers.
 */
import type { SimulatedDocument } from "../sim/simulated-world.js";

/** The search corpus, in a fixed order (search breaks score ties by this order). */
export const corpus: readonly SimulatedDocument[] = [
  // ── documents with key facts ───────────────────────────────────────────────────────────────────────────────────
  { id: "magnetic-poles", title: "Magnetic poles", text: "Every magnet has a north pole and a south pole. Like magnetic poles repel each other, and opposite poles attract." },
  { id: "geckos", title: "Geckos", text: "Geckos are small lizards that can climb walls. Geckos are reptiles with dry, scaly skin; salamanders and toads are amphibians." },
  { id: "mercury", title: "Mercury", text: "Mercury is the planet nearest to the Sun. A year on Mercury lasts only 88 Earth days." },
  { id: "copper", title: "Copper", text: "Copper is a reddish metal used in wires. Metals such as copper let electric current flow through them easily." },
  { id: "igneous-rock", title: "Igneous rock", text: "Igneous rock forms when melted rock, such as lava or magma, cools and becomes solid. Granite and basalt are examples." },
  { id: "sodium-chloride", title: "Sodium chloride", text: "Table salt is sodium chloride, which is made of two chemical elements bonded together, sodium and chlorine." },
  { id: "earth-rotation", title: "Earth's rotation", text: "Day and night are caused by Earth rotating on its axis once every 24 hours. The side facing the Sun has daytime." },
  { id: "freezing-water", title: "Freezing water", text: "Water expands as it turns into ice, so the ice takes up more space than the liquid water did. This is why ice floats." },
  { id: "helena", title: "Helena, Montana", text: "Helena is the capital of Montana. It was founded during a gold rush in 1864." },
  { id: "pacific-ocean", title: "Pacific Ocean", text: "The Pacific is the largest and deepest ocean on Earth. It lies between Asia and the Americas." },
  { id: "egypt", title: "Egypt", text: "Egypt is a country in the northeast corner of Africa. The Nile River flows north through it." },
  { id: "us-senate", title: "U.S. Senate", text: "Every U.S. state elects two senators, no matter how many people live there. Senators serve six-year terms." },
  { id: "preamble", title: "The Preamble", text: "The Preamble, the opening of the U.S. Constitution, starts with 'We the People'. It lists the goals of the government." },
  { id: "amazon-river", title: "Amazon River", text: "The Amazon is the longest river in South America. It carries more water than any other river." },
  { id: "switzerland", title: "Switzerland", text: "Switzerland has no coastline on any ocean or sea. It is surrounded by France, Germany, Austria, Liechtenstein, and Italy." },
  { id: "idioms", title: "Idioms", text: "An idiom is an expression whose meaning differs from its words. The idiom 'a piece of cake' means that a task is very easy to do." },
  // ── topic overviews: what a generic "<topic> overview" query returns ─────────────────────────────────────────────
  { id: "magnets-overview", title: "Magnets overview", text: "A magnet is an object that pulls on iron. Magnets come in many shapes, such as bars, horseshoes, and rings." },
  { id: "magnets-uses", title: "Magnets overview: everyday uses", text: "Magnets hold notes on refrigerators and help compasses point north." },
  { id: "animals-overview", title: "Animals overview", text: "Animals are living things that eat food and move. Scientists sort animals into groups such as birds, fish, and insects." },
  { id: "animals-habitats", title: "Animals overview: habitats", text: "Animals live in habitats such as forests, deserts, and oceans." },
  { id: "space-overview", title: "Space overview", text: "Space is the huge area beyond Earth's atmosphere. Stars, planets, and moons are found in space." },
  { id: "space-exploring", title: "Space overview: exploring", text: "Astronauts travel into space in rockets and work on the International Space Station." },
  { id: "electricity-overview", title: "Electricity overview", text: "Electricity is a form of energy that powers lights and machines." },
  { id: "electricity-safety", title: "Electricity overview: safety", text: "Never touch power lines, and keep electricity away from water." },
  { id: "rocks-overview", title: "Rocks overview", text: "Rocks are made of minerals. Geologists study rocks to learn how Earth changed over time." },
  { id: "rocks-collecting", title: "Rocks overview: collecting", text: "Many students collect rocks and sort the rocks by color and texture." },
  { id: "matter-overview", title: "Matter overview", text: "Matter is anything that has mass and takes up room. Matter can be a solid, a liquid, or a gas." },
  { id: "matter-measuring", title: "Matter overview: measuring", text: "Scientists measure matter with balances and measuring cups." },
  { id: "geography-overview", title: "Geography overview", text: "Geography is the study of places, land, water, and people." },
  { id: "geography-maps", title: "Geography overview: maps", text: "Maps show the locations of countries, states, and cities. A compass rose on a geography map shows directions." },
  { id: "civics-overview", title: "Civics overview", text: "Civics is the study of citizens and government." },
  { id: "civics-voting", title: "Civics overview: voting", text: "Citizens take part in civics by voting and by serving on juries." },
  { id: "history-overview", title: "History overview", text: "History is the study of the past. Historians use documents and artifacts." },
  { id: "history-timelines", title: "History overview: timelines", text: "A timeline shows events in history in the order they happened." },
  { id: "figurative-overview", title: "Figurative language overview", text: "Figurative language uses words in ways that go beyond their literal meaning." },
  { id: "figurative-poetry", title: "Figurative language overview: poetry", text: "Poets use figurative language to paint pictures with words." },
  // ── near misses: true statements that make the tempting answer look right ─────────────────────────────────────────
  { id: "venus", title: "Venus", text: "Venus is the hottest planet in the solar system because its thick clouds trap heat. It is the second planet from the Sun." },
  { id: "billings", title: "Billings, Montana", text: "Billings is the largest city in Montana." },
  { id: "salamanders", title: "Salamanders", text: "Salamanders are amphibians with moist skin. They lay their eggs in water." },
  { id: "sedimentary-rock", title: "Sedimentary rock", text: "Sedimentary rock forms when layers of sand and mud are pressed together over a long time." },
  { id: "declaration", title: "Declaration of Independence", text: "The Declaration of Independence was adopted in 1776. It explains why the colonies broke away from Great Britain." },
  { id: "atlantic-ocean", title: "Atlantic Ocean", text: "The Atlantic is the second largest ocean. It separates the Americas from Europe and Africa." },
  { id: "earth-orbit", title: "Earth's orbit", text: "Earth travels around the Sun once a year. The tilt of Earth's axis causes the seasons." },
  { id: "us-house", title: "U.S. House of Representatives", text: "The number of representatives a state has in the House depends on its population." },
  { id: "italy", title: "Italy", text: "Italy is a long peninsula with coastline on the Mediterranean Sea." },
  { id: "parana-river", title: "Parana River", text: "The Parana River flows through Brazil, Paraguay, and Argentina." },
];
