package bot

// Russian text for forgiving input: look-alike and misspelt commands,
// stray words, numbers written the way people write them. HTML; %s verbs
// receive values already escaped with esc.

const (
	msgStrayWord          = "Не понял «%s» после %s=%s — кажется, это лишнее: уберите. Например: %s"
	msgNeuronDecimalComma = "Похоже, «%s» — это дробь? Запятая разделяет числа, поэтому %s,%s — два числа: %s и %s. Дробную часть пишут через точку: 0.5; если удобнее запятая, разделяйте числа точкой с запятой: <code>w=0,5; 1</code>."
	msgNeuronZeroComma    = "Заметьте: запятая разделяет числа, поэтому в %s «0,5» — это два числа, 0 и 5. Если имелась в виду дробь, пишите 0.5 или разделяйте числа точкой с запятой: <code>w=0,5; 1</code>."

	msgPosencSecond = "Второе число — это размерность d? Её пишут с именем: <code>/posenc %s d=%s</code>."
	msgSeedSecond   = "Второе число — это сколько чисел показать? Пишите с именем n: <code>/seed %s n=%s</code>."
	msgEmbedSecond  = "Число после слова — это размерность? Её пишут с именем dim: <code>/embed %s dim=%s</code>."
	msgSeedExponent = "«%s» — это %s, записанное через e. Seed пишут цифрами: <code>/seed %s</code>."

	msgCommandAlias     = "Понял как <code>/%s</code>. Команды пишутся латиницей — тогда в Telegram их можно нажать."
	msgCommandGuess     = "Не знаю команду /%s. Вы имели в виду <code>%s</code>?"
	msgPlainGuess       = "Команды начинаются с косой черты. Вы имели в виду <code>%s</code>?"
	msgRemindZoneGuess  = "Не знаю часовой пояс «%s». Вы имели в виду <code>/remind %s %s</code>?"
	msgRemindZoneCities = "Можно и по-русски: <code>/remind 09:30 Москва</code>, <code>МСК+2</code>, <code>Новосибирск</code>."
)
