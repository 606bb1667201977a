package bot

// Russian text the learner reads. Strings are HTML (parse mode HTML);
// %s verbs receive values already escaped with esc.

const (
	descStart   = "Начать: что умеет бот"
	descHelp    = "Все команды с примерами"
	descLessons = "Уроки по порядку"
	descLesson  = "Открыть урок по номеру: /lesson 1"
	descNeuron  = "Посчитать нейрон: /neuron w=0.5,1 x=2,3 b=-1"
	descPosenc  = "Позиционные кодировки: /posenc 10"
)

const msgStart = `<b>Привет! Я нейротьютор.</b>
Объясняю основы нейросетей по шагам и даю всё посчитать самому: каждая лабораторная отвечает расчётом и графиком.

С чего начать:
• /lessons — пять уроков: нейрон, seed, эмбеддинги, позиционные кодировки, внимание;
• /neuron w=0.5,1 x=2,3 b=-1 — посчитать один нейрон;
• /help — все команды с примерами.`

// msgStartBack greets a returning learner: lessons finished of all.
const msgStartBack = `<b>С возвращением!</b>
Пройдено уроков: %d из %d. Продолжим с того места, где вы остановились, — или выберите урок в списке. Все команды — в /help.`

const (
	btnStartFirst = "▶ Начать с урока 1"
	btnContinue   = "▶ Продолжить: урок %d"
)

const msgHelp = `<b>Команды</b>
/lessons — список уроков; /lesson 1 — открыть урок по номеру.

<b>/neuron</b> — нейрон y = f(Σ(w_i·x_i) + b) по шагам и график.
<code>/neuron w=0.5,1 x=2,3 b=-1</code>
<code>/neuron w=0.5,1 x=2,3 b=-5 f=step</code>
• w — веса, x — входы (поровну, от 1 до 64 чисел), b — смещение (если не указать, 0);
• f — функция активации: sigmoid (по умолчанию), step, tanh, relu, linear;
• параметры можно писать в любом порядке; числа по модулю не больше 1 000 000.
• Дробная часть пишется через точку: 0.5. Числа разделяются запятой или пробелом. Если удобнее десятичная запятая, разделяйте числа точкой с запятой: <code>w=0,5; 1</code>. В b число одно, поэтому b=-0,5 тоже можно.

<b>/posenc</b> — синусоидальные позиционные кодировки: тепловая карта и первые значения.
<code>/posenc 10</code>  <code>/posenc 64 d=32</code>
• N — число позиций, от 1 до 512; d — размерность, чётная, от 2 до 512 (по умолчанию 16).

<b>/seed</b> — один seed дважды даёт одни и те же числа, как random и numpy в Python.
<code>/seed 42</code>  <code>/seed 7 n=10</code>
• seed — целое от 0 до 2⁶⁴−1 (numpy — до 2³²−1); n — сколько чисел, от 1 до 20 (по умолчанию 5).

<b>/embed</b> — эмбеддинги слов из PMI и SVD: карта слов, ближайшие соседи.
<code>/embed нейрон</code>  <code>/embed нейрон dim=2</code>
• dim — размерность, от 1 до 50 (по умолчанию 20).

<b>/attention</b> — веса внимания в предложении.
<code>/attention кошка сидит на ковре</code>  <code>… cur=2</code>
• от 1 до 32 слов, каждое до 32 символов; cur — номер текущего токена (по умолчанию последний).

<b>Квизы и прогресс</b>
/quiz — вопрос-квиз по всем урокам, <code>/quiz 1</code> — по уроку 1. Вопросы, где вы ошиблись, вернутся скорее, верные — реже (интервальное повторение).
/progress — ваши уроки, точность в квизах и серия дней подряд.
<code>/remind 09:30</code> — каждый день вопрос в 09:30 по Москве; другой часовой пояс: <code>/remind 09:30 Asia/Novosibirsk</code> или <code>/remind 09:30 UTC+7</code>; <code>/remind off</code> — выключить, <code>/remind</code> — посмотреть.
/export — ваши данные файлом JSON; /forget — удалить их.

<b>В группе</b> (команды работают и так: /neuron@имя_бота)
/quiz — раунд для всех: 5 вопросов-опросов; <code>/quiz 3</code> — по уроку 3, <code>/quiz 3 10</code> — 10 вопросов (от 1 до 20). Очки: за верный ответ 500 + 500 × (доля времени, которая ещё оставалась), то есть от 500 до 1000; неверный — 0; считается только первый ответ. /stop — остановить (тот, кто начал, или админ).
/top — рейтинг группы за неделю (с понедельника) и за всё время.
Только для админов: <code>/daily 19:00</code> — вопрос дня (ответ и итоги через час), <code>/daily off</code>; <code>/timer 45</code> — секунд на вопрос раунда (10–120, по умолчанию 30).
Личное остаётся личным: /export приходит в личный чат, /progress в группе — одной строкой.`

const msgInternal = "Что-то пошло не так с моей стороны, простите. Попробуйте ещё раз чуть позже."

const msgUnknownCommand = "Не знаю команду /%s. Все команды — в /help."

// Lessons.
const (
	msgLessonsList   = "<b>Уроки</b>\nВыберите урок — читать лучше по порядку. " + markRead + " — открыт, " + markFinished + " — пройден: на все вопросы квиза по нему вы хоть раз ответили верно."
	msgLessonHeader  = "<b>Урок %d из %d. %s</b>"
	msgLessonUsage   = "Укажите номер урока от 1 до %d, например: <code>/lesson 1</code>. Список — /lessons."
	msgLessonPage    = "<i>Часть %d из %d · %s</i>"
	btnPrev          = "← Назад"
	btnNext          = "Дальше →"
	btnPrevLesson    = "← Урок %d"
	btnNextLesson    = "Урок %d →"
	btnList          = "☰ Уроки"
	btnCheckYourself = "✅ Проверить себя"
	btnFinalQuiz     = "🎓 Итоговый квиз по всем урокам"
	markRead         = "📖"
	markFinished     = "✅"
	msgStaleButton   = "Эта кнопка устарела. Откройте /lessons."
)

// Neuron.
const (
	exNeuron           = "<code>/neuron w=0.5,1 x=2,3 b=-1</code>"
	msgNeuronUsage     = "Нужны веса w и входы x, например:\n" + exNeuron + "\nСмещение b и функция f — по желанию. Подробнее — /help."
	msgNeuronPositions = "Не понял «%s»: параметры пишутся как имя=значение, например:\n" + exNeuron
	msgNeuronUnknownK  = "Не знаю параметр «%s». У нейрона есть w (веса), x (входы), b (смещение) и f (функция активации), например:\n" + exNeuron
	msgNeuronMismatch  = "Весов w — %d, а входов x — %d. Их должно быть поровну: каждый вес умножается на свой вход.\n" + exNeuron
	msgNeuronTooMany   = "Слишком много чисел: не больше %d весов и %d входов.\n" + exNeuron
	msgNeuronTooLarge  = "Число слишком большое: по модулю не больше %s.\n" + exNeuron
	msgNeuronOneB      = "Смещение b — одно число, например b=-1.\n" + exNeuron
	msgNeuronUnknownF  = "Не знаю функцию активации «%s». Есть: sigmoid (сигмоида), step (ступенька), tanh (гиперболический тангенс), relu, linear (линейная). Например:\n<code>/neuron w=0.5,1 x=2,3 b=-1 f=tanh</code>"

	msgNeuronTitle    = "<b>Нейрон: y = f(Σ(w_i·x_i) + b)</b>"
	msgNeuronDefaultF = "Функция активации: sigmoid — по умолчанию (другие: f=step, tanh, relu, linear)."
	msgNeuronChosenF  = "Функция активации: %s."
	msgNeuronProducts = "1. Произведения w_i·x_i:"
	msgNeuronSum      = "2. Σ = %s"
	msgNeuronZ        = "3. z = Σ + b = %s %s %s = %s"
	msgNeuronY        = "4. y = %s(%s) = <b>%s</b>"
	msgNeuronManyTerm = "%s + … + %s (%s) = %s"
	msgNeuronMore     = "   … и ещё %s\n"
	msgNeuronBiasPos  = "Без смещения было бы y = %s(%s) = %s. Положительное b = %s сдвинуло кривую влево: нейрону легче сработать."
	msgNeuronBiasNeg  = "Без смещения было бы y = %s(%s) = %s. Отрицательное b = %s сдвинуло кривую вправо: нейрону труднее сработать."
	msgNeuronBiasZero = "b = 0: смещения нет, и при нулевых входах z = 0 — граница срабатывания проходит через ноль. Кривая при этом проходит через точку (0, f(0)): у сигмоиды это 0.5, у ступеньки 1. Попробуйте b=2 или b=-2 — кривая сдвинется влево или вправо."
	msgNeuronStep     = "step: y = 1 («зачёт»), если z ≥ 0, иначе 0."

	chartNeuronTitle  = "y = %s(Σ + b), b = %s"
	chartNeuronX      = "взвешенная сумма Σ = Σ(w_i·x_i)"
	chartNeuronY      = "выход y"
	chartNeuronBias   = "со смещением: y = f(Σ + b)"
	chartNeuronNoBias = "без смещения: y = f(Σ)"
	chartNeuronPoint  = "Σ = %s, y = %s"
)

// Positional encodings.
const (
	exPosenc          = "<code>/posenc 10</code> или <code>/posenc 64 d=32</code>"
	msgPosencUsage    = "Укажите число позиций N от 1 до %d, например: " + exPosenc
	msgPosencN        = "Число позиций N — целое от 1 до %d, а получено «%s». Например: " + exPosenc
	msgPosencD        = "Размерность d — чётное целое от 2 до %d, а получено «%s». Например: " + exPosenc
	msgPosencUnknownK = "Не знаю параметр «%s». У /posenc есть N (число позиций) и d (размерность), например: " + exPosenc

	msgPosencTitle   = "<b>Позиционные кодировки: N = %d, d = %d</b>"
	msgPosencFormula = "PE(pos, 2i) = sin(pos / 10000^(2i/d))\nPE(pos, 2i+1) = cos(pos / 10000^(2i/d))"
	msgPosencFirst   = "Первые значения (строка — позиция, столбец — измерение):"
	msgPosencExplain = "Чётные измерения — синусы, нечётные — косинусы. Слева частота высокая и цвета меняются от позиции к позиции, справа — медленно: так у каждой позиции свой узнаваемый узор, и модель различает порядок слов."
	msgPosencDefault = "d = 16 по умолчанию; другую размерность задайте так: <code>/posenc %d d=32</code>."

	chartPosencTitle = "Позиционные кодировки: N = %d, d = %d"
	chartPosencRows  = "позиция pos"
	chartPosencCols  = "измерение (2i — sin, 2i+1 — cos)"
)

// Argument problems common to every command.
const (
	msgArgTooLong   = "Слишком длинная команда. Посмотрите примеры в /help."
	msgArgDup       = "Параметр %s указан дважды — оставьте один."
	msgArgEmpty     = "У параметра %s нет значения. Пример: <code>/neuron w=0.5,1 x=2,3 b=-1</code>"
	msgArgNotNumber = "«%s» в параметре %s — не число. Пишите цифры с точкой: 0.5, -1, 2e3."
	msgArgNotFinite = "«%s» в параметре %s — не конечное число. Нужны обычные числа, например 0.5 или -1."
	msgArgNotInt    = "«%s» в параметре %s — не целое число."
)

// ---------------------------------------------------------------------
// Learning loop: quizzes, progress, export/forget, reminders (issue 4).
// Poll texts (msgGen*, msgReminder*) are plain text: polls take no HTML.

const (
	descQuiz     = "Вопрос-квиз: /quiz или /quiz 1"
	descProgress = "Мой прогресс: уроки, квизы, серия дней"
	descRemind   = "Ежедневное напоминание: /remind 09:30"
	descExport   = "Выгрузить мои данные (JSON)"
	descForget   = "Удалить мои данные"
)

// Quiz.
const (
	msgQuizUsage = "Не понял «%s». Номер урока — число от 1 до %d, например: <code>/quiz 1</code>. Без номера — вопрос по всем урокам: <code>/quiz</code>."
	btnNextQuiz  = "Ещё вопрос →"
	// msgWrongAnswer follows a wrong answer: lesson, section title.
	msgWrongAnswer = "Не беда: ошибки — часть учёбы. Подробно это разобрано в уроке %d, в части «%s»."
	btnReadSection = "📖 Перечитать эту часть"

	msgGenNeuron      = "w = (%s, %s), x = (%s, %s), b = %s, f = %s. Чему равен y = f(Σ(w_i·x_i) + b)?"
	msgGenNeuronExpl  = "Σ = %s + %s, z = Σ %s = %s, y = %s(%s) = %s."
	msgGenPosenc      = "Позиционные кодировки, d = %d: PE(pos, 2i) = sin(pos / 10000^(2i/d)), PE(pos, 2i+1) = cos(pos / 10000^(2i/d)). Чему равно PE(%d, %d)? (с точностью до 0.001)"
	msgGenPosencExpl  = "Измерение %d: %s(%d / 10000^(%d/%d)) ≈ %s. Чётные измерения — синус, нечётные — косинус."
	msgGenSoftmax     = "Оценки внимания трёх токенов: (%s, %s, %s). Какой вес softmax даст токену %d? (с точностью до 0.01)"
	msgGenSoftmaxExpl = "Вес токена %d = e^%s / (e^%s + e^%s + e^%s) ≈ %s: softmax берёт e в степени оценки и делит на сумму."
)

// Progress, export, forget.
const (
	msgProgressTitle     = "<b>Ваш прогресс</b>"
	msgProgressOwn       = "(видно всем в чате, но считается только ваш)"
	msgProgressUnread    = "не открыт"
	msgProgressRead      = "прочитан"
	msgProgressFinished  = "пройден"
	msgProgressNoQuiz    = "квизов ещё не было"
	msgProgressQuiz      = "квиз: верно %d из %d (%s), отвечено на %s из %d"
	msgProgressStreak    = "Серия: %s подряд (лучшая — %s)."
	msgProgressRemindOn  = "Напоминание: каждый день в %s (%s)."
	msgProgressRemindOff = "Напоминание выключено — включить: <code>/remind 09:30</code>."
	msgProgressHint      = "Следующий вопрос — /quiz; ваши данные — /export, удалить их — /forget."
	chartProgressTitle   = "Доля верных ответов в квизах по урокам (зелёные — прочитанные)"

	msgExportEmpty   = "Про вас пока ничего не сохранено. Откройте урок (/lessons) или ответьте на квиз (/quiz)."
	msgExportCaption = "Всё, что бот хранит о вас: уроки, ответы на квизы, серия дней, напоминание. Удалить — /forget."

	msgForgetAsk       = "Удалить всё, что бот хранит о вас: прогресс по урокам, ответы на квизы, серию дней и напоминание? Это нельзя отменить. Сначала можно выгрузить данные: /export."
	btnForgetYes       = "Да, удалить"
	btnForgetNo        = "Нет"
	msgForgetDone      = "Готово: все ваши данные удалены. Можно начать заново — /start."
	msgForgetCancelled = "Хорошо, ничего не удаляю."
	msgForgetNotYours  = "Эта кнопка — для того, кто вызвал /forget."
)

// Reminders.
const (
	exRemind             = "<code>/remind 09:30</code> или <code>/remind 21:00 UTC+5</code>"
	msgRemindUsage       = "Так: " + exRemind + "; выключить — <code>/remind off</code>; посмотреть — <code>/remind</code>."
	msgRemindTooLong     = "Слишком длинно. " + msgRemindUsage
	msgRemindBadTime     = "«%s» — не время. Время пишется как ЧЧ:ММ, от 00:00 до 23:59, например " + exRemind + "."
	msgRemindBadZone     = "Не знаю часовой пояс «%s». Укажите название, как <code>Europe/Moscow</code> или <code>Asia/Yekaterinburg</code>, или смещение от UTC−12 до UTC+14: <code>/remind 09:30 UTC+3</code>."
	msgRemindSet         = "Договорились!"
	msgRemindShow        = "Напоминаю каждый день в <b>%s</b> (%s): пришлю вопрос-квиз."
	msgRemindNext        = "Ближайшее — %s."
	msgRemindHere        = "Напоминание придёт в этот чат."
	msgRemindNone        = "Напоминание выключено. Включить: " + exRemind + "."
	msgRemindOff         = "Напоминание выключено. Включить снова — <code>/remind 09:30</code>."
	msgRemindDefaultZone = "Часовой пояс — Europe/Moscow (по умолчанию). Другой: <code>/remind 09:30 Asia/Novosibirsk</code> или <code>/remind 09:30 UTC+7</code>."

	msgReminderNudge  = "⏰ Вопрос дня! "
	msgReminderStreak = "⏰ Вопрос дня! Серия: %s подряд — не прерывайте. "
)

// ---------------------------------------------------------------------
// Labs: /seed, /attention, /embed (issue 3).

const (
	descSeed      = "Seed: одинаковые «случайные» числа: /seed 42"
	descEmbed     = "Эмбеддинги слов: /embed нейрон dim=20"
	descAttention = "Веса внимания: /attention кошка сидит на ковре"

	msgLabArgEmpty   = "У параметра %s нет значения. Например: %s"
	msgLabArgTooLong = "Слишком длинная команда. Например: %s"
)

// Seed.
const (
	exSeed           = "<code>/seed 42</code> или <code>/seed 42 n=10</code>"
	msgSeedUsage     = "Seed — одно целое число, например: " + exSeed
	msgSeedUnknownK  = "Не знаю параметр «%s». У /seed есть seed и n (сколько чисел), например: " + exSeed
	msgSeedN         = "n — сколько чисел показать: целое от 1 до %d, а получено «%s». Например: " + exSeed
	msgSeedNotInt    = "Seed — целое число, а «%s» — дробное. Например: " + exSeed
	msgSeedNotNumber = "«%s» — не число. Seed — целое число от 0, например: " + exSeed
	msgSeedNegative  = "Seed не бывает отрицательным: np.random.seed(-%[1]s) выдаст ошибку, а random.seed(-%[1]s) молча возьмёт модуль, то есть seed %[1]s. Попробуйте: <code>/seed %[1]s</code>"
	msgSeedHuge      = "Слишком большой seed: здесь можно от 0 до %d (2⁶⁴−1), а numpy принимает только до %d (2³²−1). Например: " + exSeed
	msgSeedIntro     = "Seed — номер «страницы», с которой генератор начинает. Один и тот же seed — одна и та же последовательность чисел. Без аргумента беру seed 42, как в уроке; свой: <code>/seed 7</code>, больше чисел: <code>/seed 7 n=10</code>."
	msgSeedTitle     = "<b>Seed %d: одна и та же «страница»</b>"
	msgSeedLegend    = "A и B — два запуска с seed %d, C — запуск с seed %d."
	msgSeedSame      = "A и B совпадают до последнего бита: %d из %d. C отличается: %d из %d."
	msgSeedNoNumpy   = "numpy: np.random.seed принимает seed только от 0 до %d (2³²−1), поэтому здесь — только random."
	msgSeedPython    = "Те же числа в Python (полная точность, как печатает print):"
	msgSeedExplain   = "Генератор (Mersenne Twister, MT19937) — не случайность, а формула: seed задаёт его начальное состояние, и дальше каждое число вычисляется из предыдущего состояния. Поэтому эксперимент с зафиксированным seed можно повторить число в число."
	msgSeedTwoLibs   = "Заметьте: у random и numpy генератор один и тот же, но seed превращается в начальное состояние по-разному, поэтому один и тот же seed даёт в них разные числа."
	chartSeedTitle   = "Seed %d: запуски A и B совпадают, seed %d — другие числа"
	chartSeedX       = "номер вызова"
	chartSeedY       = "значение"
	chartSeedA       = "A: seed %d"
	chartSeedB       = "B: seed %d ещё раз"
	chartSeedC       = "C: seed %d"
	chartSeedPy      = "Python: random.random()"
	chartSeedNp      = "numpy: np.random.rand()"
)

// Attention.
const (
	exAttention         = "<code>/attention кошка сидит на ковре</code>"
	msgAttentionUsage   = "Напишите предложение после команды, например: " + exAttention + ". Текущий токен выбирается так: <code>cur=2</code>."
	msgAttentionTooMany = "Слов (токенов) — %d, а можно не больше %d. Сократите предложение, например: " + exAttention
	msgAttentionLong    = "Слово «%s» слишком длинное: токен — не больше %d символов. Например: " + exAttention
	msgAttentionCur     = "cur — номер текущего токена: целое от 1 до %d, а получено «%s». Например: <code>/attention кошка сидит на ковре cur=2</code>"
	msgAttentionTitle   = "<b>Внимание: токенов — %d, d = %d</b>"
	msgAttentionHow     = "Каждый токен — эмбеддинг (случайный, но всегда один и тот же для слова) плюс позиционный вектор. Веса = softmax(q·kᵀ/√d): строка таблицы — текущий токен, столбец — на кого он смотрит."
	msgAttentionCurrent = "Текущий токен «<b>%s</b>» (%d-й%s). Его веса:"
	msgAttentionLast    = ", последний"
	msgAttentionSum     = "сумма = %s"
	msgAttentionMix     = "Новый вектор «%s» = %s — взвешенная сумма значений v всех токенов. Больше всего в него войдёт от «%s» (вес %s)."
	msgAttentionTry     = "Другой текущий токен: <code>/attention %s cur=%d</code>"
	chartAttentionTitle = "Веса внимания; текущий токен %d — «%s»"
	chartAttentionRows  = "текущий токен (строка)"
	chartAttentionCols  = "на какой токен смотрит (столбец); в строке веса дают 1"
	// chartAttentionColsNum is the column axis when the columns are
	// numbered because the words do not fit under them.
	chartAttentionColsNum = "на какой токен смотрит: номер столбца — как у строки; в строке веса дают 1"
	chartNoGlyph          = "[эмодзи]"
	msgAttentionScale     = "Цвета на картинке растянуты от самого малого веса (%s) до самого большого (%s), чтобы разница была видна и при многих токенах; шкала справа — настоящие веса."
	msgAttentionNoGlyph   = "Эмодзи на картинке подписаны «" + chartNoGlyph + "»: в шрифте графика их нет."
)

// Embeddings.
const (
	exEmbed            = "<code>/embed нейрон</code> или <code>/embed нейрон dim=2</code>"
	msgEmbedUnknownK   = "Не знаю параметр «%s». У /embed есть слово и dim (размерность), например: " + exEmbed
	msgEmbedLong       = "Слишком длинное слово: не больше %d символов. Например: " + exEmbed
	msgEmbedOneWord    = "Нужно одно слово, а получено «%s». Например: " + exEmbed
	msgEmbedDim        = "dim — размерность эмбеддинга: целое от 1 до %d, а получено «%s». Например: " + exEmbed
	msgEmbedUnknown    = "Слова «%s» нет в словаре корпуса. Похожие: %s."
	msgEmbedStopWord   = "«%s» — служебное слово (предлог, союз, частица или местоимение). Такие слова стоят рядом с любыми словами и ничего не говорят о смысле, поэтому их нет в словаре. Попробуйте слово со смыслом: %s."
	msgEmbedTitle      = "<b>Эмбеддинги слов, dim = %d</b>"
	msgEmbedHow        = "Корпус — предложения об уроках, %s %s хотя бы дважды. Для каждой пары «слово — соседнее слово» (окно ±%d) считаем PMI = log P(w,c)/(P(w)·P(c)): насколько чаще они рядом, чем случайно; отрицательные обнуляем. SVD сжимает эту таблицу до dim чисел на слово — это и есть эмбеддинг: логарифм отношения вероятностей в сжатом виде. Служебные слова (в, на, и, как, это…) из корпуса убраны: они стоят рядом с любыми словами и только шумели бы среди соседей."
	msgEmbedShowcase   = "Слово не указано — показываю несколько. Своё: <code>/embed вес</code>."
	msgEmbedNear       = "Ближайшие к «<b>%s</b>» при dim = %d (косинус):"
	msgEmbedZero       = "У слова «<b>%s</b>» при dim = %d все координаты — нули: в корпусе оно стоит рядом лишь с парой слов, которые больше ни с чем не связаны, и первые измерения SVD эту маленькую группу не описывают. Косинус с нулевым вектором не определён, так что соседей у слова нет — корпус о нём почти ничего не знает."
	msgEmbedCompare    = "Для сравнения, dim = %d: %s\ndim = %d: %s"
	msgEmbedCompareOne = "Для сравнения, dim = %d: %s"
	msgEmbedVariance   = "dim = %d сохраняет %s информации таблицы"
	msgEmbedVarianceAt = "dim = %d — %s"
	msgEmbedTradeoff   = "При dim = 2 почти все слова смотрят в одну сторону — косинусы около 1, соседи случайны: слишком малая размерность теряет смысл. При dim = 50 косинусы ниже, а соседи уже цепляются за редкие совпадения в корпусе — слишком большая размерность запоминает шум. Размерность подбирают на данных."
	msgEmbedTry        = "Сравните: <code>/embed %s dim=2</code> и <code>/embed %s dim=50</code>."

	chartEmbedTitle     = "Эмбеддинги слов, dim = %d"
	chartEmbedTitleWord = "Эмбеддинги: «%s», dim = %d"
	chartEmbedMapTitle  = "Карта слов: координаты 1 и 2; красное — слово, оранжевые — его соседи при dim = %d"
	// The map's note says why neighbours may look far apart on it.
	chartEmbedMapNote    = "Соседи — ближайшие по косинусу во всех %d координатах, а на карте только 2 из них: соседи могут быть на ней далеко."
	chartEmbedMapNote2   = "При dim = 2 карта — всё пространство: соседи по косинусу — слова ближе всех к лучу из точки (0, 0) через слово."
	chartEmbedMapNote1   = "При dim = 1 у слова одно число и косинус равен ±1: соседи — слова с тем же знаком координаты 1."
	chartEmbedMapX       = "координата 1"
	chartEmbedMapY       = "координата 2"
	chartEmbedCurveTitle = "Сколько информации сохраняют первые dim измерений (из %d; при dim = %d — 100 %%)"
	chartEmbedCurveX     = "размерность dim"
	chartEmbedCurveY     = "сохранено, %"
	chartEmbedK          = "dim = %d: %s"
)

// Nouns that agree with a number (see noun.count).
var (
	nounDay      = noun{"день", "дня", "дней"}
	nounWord     = noun{"слово", "слова", "слов"}
	nounOccurs   = noun{"встречается", "встречаются", "встречаются"}
	nounTerm     = noun{"слагаемое", "слагаемых", "слагаемых"}
	nounProduct  = noun{"произведение", "произведения", "произведений"}
	nounQuestion = noun{"вопрос", "вопроса", "вопросов"}
	nounLesson   = noun{"урок", "урока", "уроков"}
)
