/** Who is calling: the one thing handlers learn from authentication. */
export interface Identity {
  userId: string;
  projectId: string;
  roles: string[];
  isAdmin: boolean;
}
