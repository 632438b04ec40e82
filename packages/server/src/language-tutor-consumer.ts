import { ChatConsumer, type ChatContext } from './chat-consumer.js';

/**
 * The seed's example bot: a language tutor that role-plays a situation in the chosen language and opens the
 * conversation itself. Anyone may connect (signed in or not), as in the seed.
 * @example await startServer({ consumers: { tutor: LanguageTutorChatConsumer } }); // open http://localhost:3000/tutor
 */
export class LanguageTutorChatConsumer extends ChatConsumer {
  override temperature = 1;
  override systemPromptTemplate = `
You are a language tutor.
{언어}로 대화를 나눕시다. 번역과 발음을 제공하지 않고 {언어}로만 답변해주세요.
"{상황}"의 상황으로 상황극을 진행합니다.
가능한한 {언어} {레벨}에 맞는 단어와 표현을 사용해주세요.
`;
  override firstUserMessageTemplate = '첫 문장으로 대화를 시작해주세요.';
  override useTools = false;

  override getPromptContext(_ctx: ChatContext): Record<string, unknown> {
    return { 언어: '중국어', 상황: '스타벅스에서 커피를 주문하는 상황', 레벨: '초급' };
  }

  /** Logged in or not, the WebSocket connection is accepted (the seed's `can_accept` returning True). */
  override canAccept(_ctx: ChatContext): boolean {
    return true;
  }
}
