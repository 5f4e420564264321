// Customer lines for hard contacts. They are sent as text so the server's own analyser (sentiment
// lexicon + profanity matcher) is exercised rather than told the answer.

/** Abuse aimed at the agent ("you …"): the most damaging pattern. */
export const ABUSIVE_LINES = [
  'you are a useless idiot',
  'you stupid bastard, fix it now',
  'what the fuck is wrong with you people',
  'you are a worthless piece of shit',
  'shut up you moron and listen to me',
  'you are an incompetent idiot, put someone useful on',
] as const;

export const STRONG_NEGATIVE_LINES = [
  'This is absolutely terrible, I am furious and disgusted with this service',
  'I am very disappointed and angry, this is the worst service I have ever had',
  'This is a disaster, you have wasted hours of my time and I hate dealing with this company',
] as const;

export const MILD_NEGATIVE_LINES = [
  'This is ridiculous, I have been waiting forever and nothing works',
  'I am not happy, the bill is wrong again',
  'That is frustrating, I already explained this problem twice',
  'I am annoyed that nobody called me back',
] as const;
