/**
 * @module examples/chameleon/data/background
 * Generic background per topic: what knowledge retrieval says about a topic whether or not it states the key fact.
 * None of it decides a question.
 */

/** Two generic sentences per topic. */
export const background: Readonly<Record<string, readonly string[]>> = {
  magnets: ["Magnets pull on objects made of iron.", "Every magnet has two ends called poles."],
  matter: ["Matter is anything that has mass and takes up space.", "Matter can be a solid, a liquid, or a gas."],
  animals: ["Scientists sort animals into groups by their traits.", "Mammals, birds, reptiles, amphibians, and fish are groups of animals."],
  energy: ["Energy is the ability to do work or cause change.", "Temperature measures how hot or cold something is."],
  space: ["The solar system has eight planets that travel around the Sun.", "Earth is the third planet from the Sun."],
  electricity: ["Electricity is the flow of electric charge.", "Some materials block the flow of electricity."],
  plants: ["Plants are living things that grow in soil and need light.", "A plant has roots, a stem, leaves, and often flowers."],
  rocks: ["Rocks are made of one or more minerals.", "There are three main types of rock."],
  "weather and climate": ["The atmosphere is the layer of air around Earth.", "Temperature, wind, and rain describe the air outside."],
  forces: ["A force is a push or a pull.", "Forces can change how an object moves."],
  heredity: ["Offspring inherit many traits from their parents.", "Some traits depend on an organism's environment."],
  ecosystems: ["A food chain shows how energy moves from one living thing to another.", "Animals get energy by eating plants or other animals."],
  "human body": ["The body is made of systems that work together.", "The lungs take in air when you breathe."],
  "natural resources": ["People use resources from nature to make energy and products.", "Some resources can be used up."],
  geography: ["Maps and globes show where places are.", "The world has seven continents and five oceans."],
  economics: ["People make choices about how to spend money and time.", "Goods and services are bought and sold in markets."],
  civics: ["The U.S. government has three branches.", "Citizens take part in government by voting."],
  history: ["The United States declared independence in 1776.", "Historians learn about the past from documents and objects."],
  grammar: ["A sentence expresses a complete thought.", "Nouns name people, places, and things."],
  "figurative language": ["Figurative language uses words in a way that goes beyond their usual meaning.", "Writers use figurative language to create pictures in the reader's mind."],
  capitalization: ["Proper nouns begin with a capital letter.", "Letters have a greeting, a body, and a closing."],
  "word study": ["Words in a dictionary are listed in alphabetical order.", "Prefixes and suffixes change the meaning of a word."],
};
