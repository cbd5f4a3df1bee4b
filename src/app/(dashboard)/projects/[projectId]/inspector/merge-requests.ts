/** Requests merged by id, newest first, at most `keep` of them (the inspector keeps no more). */
export function mergeNewest<Request extends { id: string; receivedAt: Date }>(
  shown: Request[],
  arrived: Request[],
  keep: number,
): Request[] {
  const byId = new Map(shown.map((request) => [request.id, request]));
  for (const request of arrived) byId.set(request.id, request);
  return [...byId.values()]
    .sort(
      (a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    )
    .slice(0, keep);
}
