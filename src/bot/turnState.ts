import { TurnState, type DefaultConversationState, type DefaultUserState } from '@microsoft/teams-ai';

/** What the bot keeps per conversation between turns (small: cards carry the form values). */
export interface ConversationState extends DefaultConversationState {
  /** Set once the welcome card has been shown in this conversation. */
  welcomedAt?: string;
}

export type UserState = DefaultUserState;

export type AppTurnState = TurnState<ConversationState, UserState>;
