package bot

// Menu descriptions of the group commands.
const (
	descTop   = "Рейтинг группы: неделя и всё время"
	descStop  = "Остановить раунд в группе"
	descDaily = "Вопрос дня в группе (админы): /daily 19:00"
	descTimer = "Время на вопрос раунда (админы): /timer 45"
)

// Texts of group study (HTML; %s and %d are filled in by the handlers).
const (
	msgGroupWelcome = "Привет! Я — нейротьютор, учу основам нейросетей. В группе можно учиться вместе:\n" +
		"/quiz — раунд квиза для всех (5 вопросов; <code>/quiz 3</code> — по уроку 3, <code>/quiz 3 10</code> — 10 вопросов),\n" +
		"/top — рейтинг группы за неделю и за всё время,\n" +
		"/daily — вопрос дня в заданное время (настраивают админы).\n" +
		"Личные команды (/lessons, /progress, лаборатории) тоже работают, а ваши данные остаются в личном чате со мной. Настройки группы (/daily, /timer) меняют только админы."

	msgRoundIntro      = "🎯 Раунд: %s%s, на каждый — %s. Отвечайте в опросах: верный ответ — от 500 до 1000 очков, чем быстрее, тем больше. Остановить — /stop."
	msgRoundLesson     = " по уроку %d «%s»"
	msgRoundAll        = " по всем урокам"
	msgRoundRunning    = "Уже идёт раунд: вопрос %d из %d. Дождитесь конца или остановите его: /stop (может тот, кто начал, или админ)."
	msgRoundQuestionNo = "%d/%d. "
	msgRoundAnswer     = "✅ Вопрос %d из %d. Правильный ответ: <b>%s</b>"
	msgRoundAnswered   = "Ответили: %d, верно: %d."
	msgRoundNobody     = "Никто не ответил."
	msgRoundTop        = "Лидеры раунда:"
	msgRoundEnd        = "🏁 Раунд окончен: %s за %s."
	msgRoundStopped    = "⏹ Раунд остановлен: %s из %d за %s."
	msgRoundAborted    = "⏹ Раунд прерван: бот перезапускался, и вопрос %d мог не дойти. Засчитано: %s."
	msgRoundFailed     = "⏹ Раунд прерван: не получилось отправить вопрос. Засчитано: %s."
	msgRoundLine       = "%d. %s — %s, %s"
	msgRoundRightOf    = "верно %d из %d"
	msgRoundPlayers    = "Игроков: %d."
	msgRoundNoPlayers  = "Никто не ответил — попробуем ещё раз?"
	msgRoundNoRound    = "Сейчас раунда нет. Начать — /quiz."
	msgRoundNotYours   = "Остановить раунд может тот, кто его начал, или админ группы."
	btnRoundAgain      = "🔁 Ещё раунд"

	msgDailyIntro   = "☀️ Вопрос дня! Ответ и итоги — через %s."
	msgDailyAnswer  = "☀️ Вопрос дня. Правильный ответ: <b>%s</b>"
	msgDailyBest    = "Лучшие сегодня:"
	msgDailyShow    = "Вопрос дня приходит в %s (%s). Выключить — <code>/daily off</code>."
	msgDailyNone    = "Вопрос дня выключен. Включить (админы): <code>/daily 19:00 Europe/Moscow</code> или <code>/daily 19:00 UTC+3</code>."
	msgDailySet     = "Готово: вопрос дня будет приходить в %s (%s), следующий — %s. Ответ и итоги — через час после вопроса."
	msgDailyOff     = "Вопрос дня выключен."
	msgDailyPrivate = "/daily — вопрос дня для группы: добавьте меня в группу. Для себя — ежедневное напоминание: <code>/remind 09:30</code>."

	msgTimerShow  = "На вопрос раунда даётся %s. Изменить (админы): <code>/timer 45</code> — от %d до %d секунд."
	msgTimerSet   = "Готово: на вопрос раунда теперь даётся %s."
	msgTimerUsage = "Не понял «%s»: нужно число секунд от %d до %d, например <code>/timer 45</code>."

	msgQuizGroupUsage = "Не понял «%s». Раунд: <code>/quiz</code> — 5 вопросов по всем урокам, <code>/quiz 3</code> — по уроку 3, <code>/quiz 3 10</code> — 10 вопросов по уроку 3 (урок 0 — все уроки; вопросов от 1 до %d)."

	msgAdminsOnly        = "Это меняют только админы группы."
	msgAdminUnknown      = "Не получилось проверить, админ ли вы: Telegram не ответил. Попробуйте через минуту."
	msgGroupOnly         = "Эта команда — для групп: добавьте меня в группу и вызовите её там."
	msgNeedPerson        = "Это личная команда, а сообщение отправлено от имени канала или группы. Напишите от своего имени — или мне в личный чат."
	msgRemindGroup       = "Напоминание — личное: настройте его в личном чате со мной (<code>/remind 09:30</code>). Для всей группы админы могут включить вопрос дня: <code>/daily 19:00</code>."
	msgExportSent        = "%s, отправил файл вам в личные сообщения."
	msgExportStartBot    = "%s, я не могу написать вам первым. Откройте личный чат со мной — файл придёт сразу: %s"
	msgProgressGroup     = "%s: пройдено уроков — %d из %d, верных ответов — %s, серия — %s. Подробно — в личном чате со мной: /progress."
	msgProgressGroupNone = "%s: пока ни одного ответа. Начните с /lessons или сыграйте раунд: /quiz."

	msgTopTitle    = "🏆 Рейтинг группы"
	msgTopWeek     = "Эта неделя (с понедельника %s):"
	msgTopAll      = "За всё время:"
	msgTopEmpty    = "пока никого — сыграйте раунд: /quiz"
	msgTopLine     = "%d. %s — %s (%s)"
	msgTopYou      = "Вы: %d-е место из %d, %s."
	msgTopYouNone  = "Вас пока нет в рейтинге: ответьте на вопрос раунда."
	msgTopLeftNote = "Рейтинг считает всех, кто отвечал в этой группе, и тех, кто уже вышел из неё."
	chartTopTitle  = "Очки за неделю"
	chartTopAll    = "Очки за всё время"
)

// Nouns of group study.
var (
	nounPoint  = noun{"очко", "очка", "очков"}
	nounSecond = noun{"секунда", "секунды", "секунд"} // "даётся 21 секунда"
	nounMinute = noun{"минута", "минуты", "минут"}
	// Accusative, after "за", "через", "на": "за 1 минуту 21 секунду".
	nounSecondAcc = noun{"секунду", "секунды", "секунд"}
	nounMinuteAcc = noun{"минуту", "минуты", "минут"}
	nounHourAcc   = noun{"час", "часа", "часов"}
	nounPlayer    = noun{"игрок", "игрока", "игроков"}
)
