// Prisma's Json input type wants an index signature that interfaces (the frost wire
// types) do not declare; every value stored this way is plain JSON data.
export function jsonColumn(value: object): object {
  return value;
}
