export async function main(argv: string[]): Promise<void> {
  console.log('respite', argv.slice(2).join(' '));
}
