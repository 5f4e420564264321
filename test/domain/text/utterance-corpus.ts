// Hand-written customer utterances in the style of contact-centre transcripts, labelled by what the
// detector must say about them. Used by the labelled-corpus tests and by the benchmark.

/** Not abuse — including complaint vocabulary and words that contain abusive substrings. */
export const CIVIL = [
  'Hi, I am calling about my last bill.',
  'Could you tell me when my order will arrive?',
  'Thank you so much, that was really helpful!',
  'I need to update the address on my account.',
  'My account number is 4417 2210, the postcode is SW1A 1AA.',
  "I'd like to cancel my subscription, please.",
  'I was charged twice for the same order.',
  'I lost my card yesterday and need a new one.',
  "I'm a bit disappointed, this is the third time I've called.",
  "I'm really frustrated, the internet has been down for three days.",
  'Honestly this is unacceptable, I expected better.',
  'This stupid form keeps crashing when I press submit.',
  'The website is useless on my phone.',
  'Your app is useless and your hold music is garbage.',
  'Sorry, stupid question, but can you tell me my balance?',
  'This damn printer will not print anything.',
  'The assessment said the class starts on Monday.',
  'I am reading Dickens for my literature course.',
  'We moved to Scunthorpe last spring.',
  'My therapist sent the analysis to the clinic.',
  'Please pass the document to the cockpit crew.',
  'She graduated magna cum laude.',
  'Add some shiitake mushrooms to the order.',
  'I need the flame retardant version of the curtains.',
  'My sex is listed wrong on the form.',
  'Is that the cocktail menu or the bass guitar?',
  'No, the other account, the savings one.',
  "You're not stupid, the system is confusing.",
  'Can you please check, this thing will not print?',
  "Okay, that's great, thanks for your patience.",
  'Could you hold on a second while I find the letter?',
  "I'm such an idiot, I forgot my password again.",
] as const;

/** Abuse that is not aimed at the agent. */
export const ABUSIVE_UNTARGETED = [
  'This fucking printer keeps jamming.',
  'What a load of shit this app is.',
  'The shitty update broke everything again.',
  'My neighbour is a complete idiot.',
  'That bastard of a landlord never fixed it.',
] as const;

/** Abuse aimed at the agent. */
export const ABUSIVE_TARGETED = [
  'You are a useless idiot.',
  'Fuck you.',
  "You're completely incompetent.",
  'Shut up and listen to me.',
  "I'll find you.",
  'You people are pathetic.',
  'Are you stupid or something?',
  'Listen here you moron!',
  'Your fucking company stole my money.',
  'I know where you live.',
  "I'll get you fired for this.",
  'You fucking clown.',
  'Sh1t, you are a 1d10t.',
  'f u c k you',
] as const;

/** Deterministic "a few thousand realistic utterances": 1–3 corpus sentences per utterance. */
export function generateUtterances(count: number, seed = 42): string[] {
  const sentences = [...CIVIL, ...CIVIL, ...CIVIL, ...ABUSIVE_UNTARGETED, ...ABUSIVE_TARGETED];
  let state = seed >>> 0;
  const next = (n: number) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0; // Numerical Recipes LCG
    return state % n;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + next(3) }, () => sentences[next(sentences.length)]).join(' '),
  );
}
